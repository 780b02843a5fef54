"""16 kHz mono 16-bit PCM: the one format of everything heard, as WAV in memory and on disk.

The microphone, Vosk and the kept answers all use it (the voice has its own rate), so it lives
outside speech: the journal writes kept answers with it, the summary cuts quotes from them.
"""

from __future__ import annotations

import io
import shlex
import wave
from pathlib import Path

import numpy as np

from assistant.errors import UserError

RATE = 16000  # of everything heard: the microphone, Vosk, kept answers (the voice has its own)


def resample(pcm: bytes, rate_in: int, rate_out: int) -> bytes:
    """Whole-buffer resampling of mono s16le (anti-aliased, by soxr)."""
    if rate_in == rate_out or not pcm:
        return pcm
    import soxr

    samples = np.frombuffer(pcm, dtype="<i2")
    resampled: np.ndarray = soxr.resample(samples, rate_in, rate_out)  # soxr has no types
    return resampled.astype("<i2").tobytes()


def read_wav(path: Path) -> bytes:
    """A WAV file as 16 kHz mono s16le; one clear line, with the sox command, for anything else."""
    encoding = _wav_encoding(path)
    if encoding is not None:
        raise UserError(f"{path}: {encoding} audio; convert it to 16-bit PCM WAV "
                        f"(sox {shlex.quote(str(path))} -b 16 -e signed-integer OUT.wav)")
    try:
        with wave.open(str(path), "rb") as file:
            channels, width, rate = file.getnchannels(), file.getsampwidth(), file.getframerate()
            frames = file.readframes(file.getnframes())
    except (OSError, wave.Error, EOFError) as error:
        reason = str(error) or type(error).__name__
        raise UserError(f"{path}: cannot read it as a WAV file ({reason}); give a 16-bit PCM WAV") from None
    if rate <= 0 or channels <= 0:
        raise UserError(f"{path}: the WAV header is broken (rate {rate}, {channels} channels); re-record it")
    if width != 2:  # _wav_encoding has named it already; this is for a header it could not find
        raise UserError(f"{path}: {8 * width}-bit audio; convert it to 16-bit PCM WAV (sox IN -b 16 OUT.wav)")
    samples = np.frombuffer(frames, dtype="<i2")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype("<i2")
    return resample(samples.tobytes(), rate, RATE)


# WAVE format tags (RFC 2361) a recorder or editor may write, in words.
_WAV_FORMATS = {3: "32-bit float", 6: "A-law", 7: "µ-law", 2: "Microsoft ADPCM", 0x11: "IMA ADPCM",
                0x31: "GSM 6.10", 0x50: "MPEG", 0x55: "MP3"}
_PCM, _EXTENSIBLE = 1, 0xFFFE


def _wav_encoding(path: Path) -> str | None:
    """How the samples are encoded, in words, when that is not integer PCM; None for PCM (or
    when the file cannot be read: `wave` then says what is wrong)."""
    try:
        with open(path, "rb") as file:
            head = file.read(1 << 16)
    except OSError:
        return None
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    at = 12
    while at + 8 <= len(head):
        kind, size = head[at:at + 4], int.from_bytes(head[at + 4:at + 8], "little")
        if kind == b"fmt " and size >= 16:
            tag, bits = int.from_bytes(head[at + 8:at + 10], "little"), int.from_bytes(head[at + 22:at + 24], "little")
            extensible = tag == _EXTENSIBLE and size >= 40
            if extensible:  # the real tag is the start of the sub-format GUID
                tag = int.from_bytes(head[at + 32:at + 34], "little")
            if tag == _PCM:
                if bits == 16 and not extensible:
                    return None
                return f"{bits}-bit PCM" + (" (in an extensible WAV header)" if bits == 16 else "")
            if tag == 3:
                return f"{bits}-bit float"
            return _WAV_FORMATS.get(tag, f"an unknown encoding (WAVE format {tag:#06x})")
        at += 8 + size + (size & 1)
    return None


def wav_bytes(pcm: bytes, rate: int = RATE) -> bytes:
    """A whole mono 16-bit WAV file in memory (to be written atomically)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(pcm)
    return out.getvalue()


def write_wav(path: Path, pcm: bytes, rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(pcm)
