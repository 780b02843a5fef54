"""Quotes in the person's own voice: the kept recording of exactly the quoted words.

With `[session] keep_audio` on, an answer is kept with its WAV and the start and end of every word
(Vosk's word timings, seconds into that WAV). A summary quote is the first words of an answer
(summary.one_sentence), so its span runs from the first word's start to its last word's end; the
cut keeps a little room sound on either side, never reaching into a neighbouring word, and fades
in and out so it does not click. It is played at the loudness of the device's voice before it.
When the audio is gone (never kept, expired, erased) or the words no longer match the transcript,
there is no recording and the device speaks the quote as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from assistant.config import Config
from assistant.conversation.dialogue import StoredAnswer, StoredSummary
from assistant.conversation.roles import StoredWeeks
from assistant.conversation.summary import one_sentence
from assistant.errors import UserError
from assistant.wav import RATE, read_wav
from assistant.weeks import split_id

PAD_SECONDS = 0.08       # room sound kept before the first and after the last word
FADE_SECONDS = 0.015     # linear fade at both ends: no click at the cut
MAX_GAIN_DB = 24.0       # a whisper is lifted, but noise is not made into speech
PEAK = 32000             # never clipped after the gain
FRAME = 320              # 20 ms: loudness is judged over the frames that carry speech
_PUNCTUATION = ".,!?…\"'“”„"


@dataclass(frozen=True)
class Clip:
    """The quoted span of a kept recording. The WAV is read only when the quote is reached, so
    the summary's first line is not kept waiting for minutes of audio to be read."""

    wav: Path
    start: float   # seconds into the WAV
    end: float

    def pcm(self) -> bytes:
        """The quote in the person's voice, faded in and out; empty when the file is gone."""
        try:
            return cut(read_wav(self.wav), self.start, self.end)
        except UserError:  # deleted or damaged since: the device says the quote instead
            return b""


def quote_span(words: list[list[str | float]] | None, transcript: str) -> tuple[float, float] | None:
    """(start, end) in seconds of the words quoted from this answer, or None.

    None when no timings were kept, or the timed words are not the transcript's (it was typed or
    edited since): then the recording would not say what the page and the voice say.
    """
    quoted = one_sentence(" ".join(transcript.split())).split()
    if not words or len(words) < len(quoted) or not quoted:
        return None
    timed = [_plain(str(w[0])) for w in words[:len(quoted)]]
    if timed != [_plain(w) for w in quoted]:
        return None
    first, last = words[0], words[len(quoted) - 1]
    start = max(0.0, float(first[1]) - PAD_SECONDS)
    end = float(last[2]) + PAD_SECONDS
    if len(words) > len(quoted):
        end = min(end, (float(last[2]) + float(words[len(quoted)][1])) / 2)
    return start, max(end, start)


def _plain(word: str) -> str:
    return word.strip(_PUNCTUATION).lower()


def cut(pcm: bytes, start: float, end: float) -> bytes:
    """start..end seconds of 16 kHz s16le audio, faded in and out."""
    samples = np.frombuffer(pcm, dtype="<i2")[int(start * RATE):int(math.ceil(end * RATE))]
    clip = samples.astype(np.float64)
    fade = min(int(FADE_SECONDS * RATE), clip.size // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False)
        clip[:fade] *= ramp
        clip[clip.size - fade:] *= ramp[::-1]
    return np.round(clip).astype("<i2").tobytes()


def speech_level(pcm: bytes) -> float:
    """RMS over the frames that carry speech (louder than a tenth of the loudest frame)."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    frames = samples[:samples.size // FRAME * FRAME].reshape(-1, FRAME)
    if not frames.size:
        return 0.0
    rms = np.sqrt((frames ** 2).mean(axis=1))
    loud = rms[rms >= rms.max() * 0.1]
    return float(np.sqrt((loud ** 2).mean())) if loud.size and rms.max() > 0 else 0.0


def match_level(clip: bytes, reference: bytes) -> bytes:
    """The clip at the speech level of the reference (the device's voice), without clipping."""
    own, target = speech_level(clip), speech_level(reference)
    if own <= 0 or target <= 0:
        return clip
    samples = np.frombuffer(clip, dtype="<i2").astype(np.float64)
    gain = min(target / own, 10 ** (MAX_GAIN_DB / 20))
    peak = float(np.abs(samples).max()) * gain
    if peak > PEAK:
        gain *= PEAK / peak
    return np.round(samples * gain).astype("<i2").tobytes()


def summary_recordings(config: Config, journal: StoredWeeks, stored: StoredSummary,
                       now: datetime) -> dict[int, Clip]:
    """The stored summary's quotes in the person's own recording, when audio is kept and still there."""
    if not config.session.keep_audio or not stored.quotes:
        return {}
    return recordings(journal, config.data_dir, stored.quotes, config.session.keep_audio_days, now)


def recordings(journal: StoredWeeks, data_dir: Path, quotes: Iterable[list[int]], keep_days: int,
               now: datetime) -> dict[int, Clip]:
    """Summary line index -> the quoted words in the person's voice, for each quote that has them.

    `quotes` are the stored summary's [line index, answer id] pairs. Audio older than keep_days
    is treated as gone even before the next session deletes it.
    """
    found: dict[int, Clip] = {}
    cutoff = now - timedelta(days=keep_days)
    for line, answer_id in quotes:
        record = _answer(journal, int(answer_id))
        if record is None or not record.audio_file:
            continue
        span = quote_span(record.words, record.transcript)
        wav = data_dir / record.audio_file
        if span and wav.is_file() and datetime.fromisoformat(record.started_at) >= cutoff:
            found[int(line)] = Clip(wav, *span)
    return found


def _answer(journal: StoredWeeks, answer_id: int) -> StoredAnswer | None:
    year, week, _ = split_id(answer_id)
    return next((a for a in journal.week(year, week) if a.id == answer_id), None)


def playable(journal: StoredWeeks, data_dir: Path, answer_id: str | None, session: str | None, keep_days: int,
             now: datetime) -> list[tuple[str, bytes]]:
    """(transcript, recording) of one answer or of a session's answers that still have audio.

    An unknown id or session, or nothing left to hear, is a UserError naming why.
    """
    which = f"answer {answer_id}" if answer_id is not None else f"session {session}"
    if answer_id is not None:
        if not answer_id.isdigit():
            raise UserError(f"'{answer_id}' is not an answer id (a number like 20264700005, "
                            "shown by assistant export)")
        found = [a for a in [_answer(journal, int(answer_id))] if a is not None]
    else:
        found = [a for a in journal.answers() if a.session_id == session]
    if not found:
        raise UserError(f"there is no {which}; assistant export shows the ids that are kept")
    cutoff = now - timedelta(days=keep_days)
    heard = []
    for answer in found:
        wav = data_dir / answer.audio_file if answer.audio_file else None
        if wav is None or not wav.is_file() or datetime.fromisoformat(answer.started_at) < cutoff:
            continue
        heard.append((answer.transcript, read_wav(wav)))
    if not heard:
        raise UserError(f"no audio is kept of {which}: keep_audio was off, or its recording was "
                        f"deleted after keep_audio_days ({keep_days} days); the words are kept")
    return heard
