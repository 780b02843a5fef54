"""Microphone and speaker at the edges: 16 kHz mono s16le in, the voice's own rate out, whatever the
device needs outside.

The capture stream runs only while listening, so the device never transcribes its own voice,
and stopping it drops whatever was buffered while it spoke.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import numpy as np

from assistant import heartbeat
from assistant.errors import InputExhausted, UserError
from assistant.wav import RATE, read_wav, resample

log = logging.getLogger(__name__)

CHUNK_SECONDS = 0.1
CHUNK_FRAMES = int(RATE * CHUNK_SECONDS)


def load_sounddevice() -> ModuleType:
    """sounddevice, or a clear error when PortAudio is not installed."""
    try:
        import sounddevice
    except OSError as error:
        raise UserError(f"audio is unavailable ({error}); install PortAudio: "
                        "sudo apt install libportaudio2") from None
    return cast(ModuleType, sounddevice)  # sounddevice has no types


def device_id(name: str) -> int | str | None:
    """A config device: empty for the default, a number for an index, else a name."""
    if not name:
        return None
    return int(name) if name.isdigit() else name


def native_rate(sd: ModuleType, device: int | str | None, kind: str, wanted: int = RATE) -> int:
    """`wanted` when the device takes it, else its own default rate (resampled at the edge).

    The microphone asks for 16 kHz (what Vosk needs); the speaker asks for the rate of the voice
    (22,050 Hz for espeak-ng and Piper medium voices), so speech is never squeezed through 16 kHz.
    """
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    try:
        check(device, channels=1, dtype="int16", samplerate=wanted)
        return wanted
    except Exception:
        return int(sd.query_devices(device, kind)["default_samplerate"])


@contextmanager
def portaudio_errors(kind: str, name: str, *, lost: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Whatever PortAudio raises inside (it has no one exception type: PortAudioError, ValueError
    for a device name it cannot find, OSError...) as the one-line UserError that names the
    device and the config key to set; `lost` first forgets a stream that cannot be trusted."""
    try:
        yield
    except Exception as error:
        lost()
        raise _audio_error(kind, name, error) from None


def _audio_error(kind: str, name: str, error: Exception) -> UserError:
    where = f"'{name}'" if name else "the default device"
    return UserError(f"no usable {kind} ({where}: {error}); plug one in, or set "
                     f"{'listen.input_device' if kind == 'microphone' else 'voice.output_device'} "
                     f"(see `assistant doctor`)")


class SoundDeviceMicrophone:
    """The real microphone over PortAudio; captures only inside `stream()`."""

    def __init__(self, device: str = ""):
        self._sd, self._name = load_sounddevice(), device
        self._device = device_id(device)
        with self._errors():
            self._rate = native_rate(self._sd, self._device, "input")
        self._stream: Any = None  # a sounddevice stream, opened at the first read

    def _errors(self) -> AbstractContextManager[None]:
        return portaudio_errors("microphone", self._name)

    @contextmanager
    def stream(self) -> Iterator[Iterator[bytes]]:
        with self._errors():
            if self._stream is None:
                frames = int(self._rate * CHUNK_SECONDS)
                self._stream = self._sd.RawInputStream(
                    samplerate=self._rate, channels=1, dtype="int16", blocksize=frames,
                    device=self._device, latency="high")
            self._stream.start()
        try:
            yield self._chunks()
        finally:
            self._stop_quietly()

    def _stop_quietly(self) -> None:
        try:
            self._stream.stop()
        except Exception:  # already gone (unplugged): the error that matters was raised
            self._stream = None

    def _chunks(self) -> Iterator[bytes]:
        import soxr

        frames = int(self._rate * CHUNK_SECONDS)
        converter = soxr.ResampleStream(self._rate, RATE, 1, dtype="int16") if self._rate != RATE else None
        while True:
            with self._errors():
                data, _overflowed = self._stream.read(frames)
            pcm = bytes(data)
            if converter is not None:
                pcm = converter.resample_chunk(np.frombuffer(pcm, dtype="<i2")).astype("<i2").tobytes()
            yield pcm

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class WavMicrophone:
    """Replays one WAV file per answer, then silence, so pauses end answers as they would live."""

    def __init__(self, files: list[Path]):
        self._pending = [read_wav(Path(f)) for f in files]

    @contextmanager
    def stream(self) -> Iterator[Iterator[bytes]]:
        if not self._pending:
            raise InputExhausted()
        yield self._chunks(self._pending.pop(0))

    @staticmethod
    def _chunks(pcm: bytes) -> Iterator[bytes]:
        size = CHUNK_FRAMES * 2
        for start in range(0, len(pcm), size):
            yield pcm[start:start + size]
        silence = bytes(size)
        while True:
            yield silence

    def close(self) -> None:
        pass


class SoundDeviceSpeaker:
    """The real speaker over PortAudio; the stream stays open, started only while playing.

    It is opened at the rate of the audio it is given when the device takes that rate, else at
    the device's own rate (resampled here), and reopened only when a different rate comes.
    """

    def __init__(self, device: str = ""):
        self._sd, self._name = load_sounddevice(), device
        self._device = device_id(device)
        with portaudio_errors("speaker", self._name):
            self._sd.query_devices(self._device, "output")
        self._stream: Any = None  # a sounddevice stream, opened at the first play
        self._rate, self._given = 0, 0
        self._hushed = threading.Event()

    def hush(self) -> None:
        """Stop speaking within a quarter second (service stopping), until resume()."""
        self._hushed.set()

    def resume(self) -> None:
        self._hushed.clear()

    def play(self, pcm: bytes, rate: int = RATE) -> None:
        if self._hushed.is_set():
            return
        with portaudio_errors("speaker", self._name, lost=self._lose_stream):
            self._open(rate)
            self._stream.start()
            audio, block = resample(pcm, rate, self._rate), int(self._rate * 0.25) * 2
            for start in range(0, len(audio), block):  # in blocks, so hush() is heard in time
                if self._hushed.is_set():
                    break
                self._stream.write(audio[start:start + block])
                heartbeat.beat()
            self._stream.stop()  # waits until the buffered audio has been played
        log.debug("played %d samples at %d Hz", len(audio) // 2, self._rate)

    def _lose_stream(self) -> None:
        """A stream that failed is not used again: the next play opens a fresh one."""
        self._stream = None

    def _open(self, rate: int) -> None:
        if self._stream is not None and rate == self._given:
            return
        self.close()
        self._rate, self._given = native_rate(self._sd, self._device, "output", rate), rate
        self._stream = self._sd.RawOutputStream(samplerate=self._rate, channels=1, dtype="int16",
                                                device=self._device)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
