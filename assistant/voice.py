"""Speaking: pyttsx3's espeak-ng binding renders text to audio ahead of time; the speaker plays it.

Rendering happens on one worker thread while the person is still answering, so the next
question starts the moment an answer is over.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Iterable, TextIO

from assistant.audio import RATE, resample
from assistant.errors import UserError
from assistant.escape import visible
from assistant.roles import Speaker


class Pyttsx3Renderer:
    """Text to 16 kHz mono s16le through pyttsx3's espeak-ng binding, cached per text.

    pyttsx3's Engine loop is not used: its espeak driver runs synthesis on espeak's own thread and
    queues property changes while "busy", and under load (measured here) it drops the voice and
    rate settings, cancels a new utterance while the last is finishing, and varies its output.
    Its binding (pyttsx3.drivers._espeak) in espeak's synchronous mode has none of that: each
    text is rendered completely, in this worker thread, with the settings given.
    """

    def __init__(self, espeak_voice: str, rate: int, volume: float):
        self._settings = (espeak_voice, rate, volume)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")
        self._cache: dict[str, Future[bytes]] = {}
        self._source_rate: int | None = None

    def prepare(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.future(text)

    def future(self, text: str) -> Future[bytes]:
        if text not in self._cache:
            self._cache[text] = self._pool.submit(self._render, text)
        return self._cache[text]

    def render(self, text: str) -> bytes:
        return self.future(text).result()

    def _render(self, text: str) -> bytes:
        _espeak = _espeak_binding()
        if self._source_rate is None:
            self._source_rate = _start_espeak(*self._settings)
        pieces: list[bytes] = []
        _espeak.SetSynthCallback(lambda wav, count, events: _collect(pieces, wav, count))
        _espeak.Synth(text, flags=_espeak.CHARS_UTF8 | _espeak.ENDPAUSE)
        _espeak.Synchronize()
        pcm = b"".join(pieces)
        if not pcm:
            raise UserError(f"espeak-ng produced no audio for {text[:40]!r}; check it with "
                            "`assistant doctor`")
        return resample(pcm, self._source_rate, RATE)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


_ESPEAK_LOCK = threading.Lock()
_ESPEAK_RATE: list[int] = []  # espeak-ng can be initialised only once per process


def _espeak_binding():
    try:
        from pyttsx3.drivers import _espeak
    except Exception as error:  # pyttsx3 raises when the espeak-ng library is missing
        raise UserError(f"cannot start speech synthesis ({error}); install espeak-ng "
                        "(sudo apt install espeak-ng)") from None
    return _espeak


def _start_espeak(voice: str, rate: int, volume: float) -> int:
    """Initialise espeak-ng (once) in synchronous mode and apply the voice settings."""
    _espeak = _espeak_binding()
    with _ESPEAK_LOCK:
        if not _ESPEAK_RATE:
            sample_rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
            if sample_rate <= 0:
                raise UserError("espeak-ng could not start; reinstall it (sudo apt install espeak-ng)")
            _ESPEAK_RATE.append(sample_rate)
    if _espeak.SetVoiceByName(voice.encode("utf-8")) != _espeak.EE_OK:
        raise UserError(f"espeak-ng has no voice '{voice}'; list voices with `espeak-ng --voices` "
                        "and set voice.espeak_voice")
    _espeak.SetParameter(_espeak.RATE, rate, 0)
    _espeak.SetParameter(_espeak.VOLUME, round(volume * 100), 0)
    return _ESPEAK_RATE[0]


def _collect(pieces: list[bytes], wav, count: int) -> int:
    if count > 0 and wav:
        pieces.append(ctypes.string_at(wav, count * 2))
    return 0  # 0: go on synthesising


class SpokenVoice:
    """Says text through a speaker; also writes it to a log stream when one is given."""

    def __init__(self, renderer: Pyttsx3Renderer, speaker: Speaker, echo: TextIO | None = None):
        self._renderer, self._speaker, self._echo = renderer, speaker, echo
        self._last = b""  # what was said last: the loudness a recording is matched to

    def prepare(self, texts: Iterable[str]) -> None:
        self._renderer.prepare(texts)

    def say(self, text: str) -> None:
        if self._echo is not None:
            print(visible(text), file=self._echo, flush=True)
        self._last = self._renderer.render(text)
        self._speaker.play(self._last)

    def play_recording(self, pcm: bytes, text: str) -> None:
        """The person's own words (a quote), as loud as the voice that introduced them."""
        from assistant.ownvoice import match_level

        if self._echo is not None:
            print(visible(text), file=self._echo, flush=True)
        self._speaker.play(match_level(pcm, self._last) if self._last else pcm)


class PrintVoice:
    """Shows what would be said, for the terminal and for --quiet."""

    def __init__(self, out: TextIO | None = None):
        self._out = out

    def prepare(self, texts: Iterable[str]) -> None:
        pass

    def say(self, text: str) -> None:
        print(visible(text), file=self._out or sys.stdout, flush=True)  # it may quote an answer

    def play_recording(self, pcm: bytes, text: str) -> None:
        """Printed, a recording is its words: the same lines as when it is heard."""
        self.say(text)
