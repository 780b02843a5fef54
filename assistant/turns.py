"""When is an answer over? Pure decisions over audio time, never wall time.

Vosk's own endpoint fires after a short breath; reflective answers pause mid-thought, so the
answer ends only after a pause the person does not fill, at the silence timeout, or at the cap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import numpy as np


_EPSILON = 1e-6  # chunk durations are summed as floats: 30 x 0.1 s must count as 3 s


class TurnState(Enum):
    LISTENING = "listening"
    ANSWERED = "answered"  # speech, then a long enough pause
    SILENT = "silent"      # no speech at all before the silence timeout
    CAPPED = "capped"      # the answer reached the length cap
    INTERRUPTED = "interrupted"  # ended from outside before any speech (service stopping)


@dataclass
class TurnTimer:
    pause_seconds: float
    silence_seconds: float
    cap_seconds: float
    elapsed: float = 0.0        # audio seconds listened to
    speech: float = 0.0         # seconds of them with speech
    since_speech: float = 0.0   # seconds since the last speech
    since_start: float = 0.0    # seconds since speech first started

    def process(self, chunk_seconds: float, is_speech: bool) -> TurnState:
        self.elapsed += chunk_seconds
        if self.speech:
            self.since_start += chunk_seconds
        if is_speech:
            self.speech += chunk_seconds
            self.since_speech = 0.0
        else:
            self.since_speech += chunk_seconds
        if not self.speech:
            silent = self.elapsed + _EPSILON >= self.silence_seconds
            return TurnState.SILENT if silent else TurnState.LISTENING
        if self.since_start + _EPSILON >= self.cap_seconds:
            return TurnState.CAPPED
        if self.since_speech + _EPSILON >= self.pause_seconds:
            return TurnState.ANSWERED
        return TurnState.LISTENING


def level_dbfs(chunk: bytes) -> float:
    """Loudness of 16-bit audio in dB relative to full scale (digital silence: -96)."""
    samples = np.frombuffer(chunk, dtype="<i2").astype(np.float32)
    if not samples.size:
        return -96.0
    rms = math.sqrt(float(np.dot(samples, samples)) / samples.size)
    return max(-96.0, 20 * math.log10(rms / 32768)) if rms else -96.0


class SpeechDetector:
    """Speech is sound well above the room's noise floor, which it follows as the room changes.

    The floor drops at once to a quieter level, follows a louder background within a second,
    and creeps up only slowly while someone speaks, so the short gaps between words keep it
    near the real background even during a long answer.
    """

    RISE_DB_PER_CHUNK = 0.05  # during speech: slow, so a long answer never becomes "the room"
    DIGITAL_SILENCE_DBFS = -90.0
    FOLLOW = 0.1              # share of the gap to a louder non-speech level closed per chunk

    def __init__(self, margin_db: float, min_dbfs: float):
        self.margin_db, self.min_dbfs = margin_db, min_dbfs
        self.floor: float | None = None  # from the first chunk: the room before anyone speaks

    def __call__(self, chunk: bytes) -> bool:
        level = level_dbfs(chunk)
        if level < self.DIGITAL_SILENCE_DBFS:  # a muted or starting device says nothing of the room
            return False
        if self.floor is None:  # capped, in case someone is already speaking
            self.floor = min(level, self.min_dbfs)
        is_speech = level >= max(self.floor + self.margin_db, self.min_dbfs)
        if level < self.floor:
            self.floor = level
        elif not is_speech:  # louder background, still below speech: follow it within a second
            self.floor += (level - self.floor) * self.FOLLOW
        else:
            self.floor += self.RISE_DB_PER_CHUNK
        return is_speech
