"""When is an answer over? Pure decisions over audio time, never wall time.

Vosk's own endpoint fires after a short breath; reflective answers pause mid-thought, so the
answer ends only after a pause the person does not fill, at the silence timeout, or at the cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

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
