"""The small values that flow between listener, session, journal and voice."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Command(str, Enum):
    """Things a person can say instead of an answer, at every question."""

    REPEAT = "repeat"
    SKIP = "skip"
    UNDO = "undo"
    STOP = "stop"
    LATER = "later"
    HELP = "help"
    FORGET = "forget"  # erase my last answer for good (after a yes), and go on
    KEEP = "keep"      # bring back the answer just undone, within the same session


class Kind(str, Enum):
    """How an answer is interpreted beyond its transcript."""

    TEXT = "text"
    VALUE = "value"          # normalised against the pack's value vocabulary
    AUTHENTIC = "authentic"  # authentic (True) or adapted to others (False)
    GATE = "gate"            # yes or no; no (or no answer) ends the script with its gate_closing
    RESISTANCE = "resistance"  # how they acted on it: quiet, active or none
    FAMILY = "family"        # the person's function family: asked once, then remembered


@dataclass(frozen=True)
class Question:
    """One question of a script, in one language."""

    id: str
    ask: str
    help: str
    kind: Kind = Kind.TEXT
    reask: str = ""  # spoken after the first silence; empty means "say the question again"


@dataclass(frozen=True)
class Word:
    word: str
    confidence: float  # 0..1, from the recognizer
    seconds: float = 0.0  # how long it lasted; 0 when the recognizer did not say
    start: float = 0.0    # seconds from the start of the turn's audio

    @property
    def end(self) -> float:
        return self.start + self.seconds


@dataclass(frozen=True)
class Heard:
    """What the listener made of one turn: a command, an answer, or silence."""

    text: str = ""
    words: tuple[Word, ...] = ()
    command: Command | None = None
    audio_seconds: float = 0.0   # audio listened to for this turn
    speech_seconds: float = 0.0  # of which the person was speaking
    capped: bool = False         # the answer hit the length cap
    started_at: str = ""         # local ISO time with UTC offset
    ended_at: str = ""
    audio: bytes | None = field(default=None, repr=False)  # 16 kHz mono s16le, only when kept

    @property
    def silent(self) -> bool:
        return self.command is None and not self.text.strip()

    @property
    def confidence(self) -> float | None:
        """Mean word confidence, or None when there were no scored words (typed text)."""
        if not self.words:
            return None
        return round(sum(w.confidence for w in self.words) / len(self.words), 3)


@dataclass(frozen=True)
class Answer:
    """One stored answer: everything the journal keeps about it."""

    session_id: str
    script: str
    language: str
    moment: int
    question_id: str
    question: str       # the question as it was asked
    transcript: str
    confidence: float | None
    audio_seconds: float
    started_at: str
    ended_at: str
    capped: bool = False
    value: str | None = None       # key of the normalised value, for value questions
    authentic: bool | None = None  # for the authentic/adapted question
    audio_file: str | None = None  # WAV beside the journal, when keep_audio is on
    for_week: str | None = None    # an intention: the ISO week it is for ("2026-W48")
    resistance: str | None = None  # "klein verzet": quiet, active or none
    # with kept audio: [word, start, end] per word, seconds into its WAV
    words: list[list[str | float]] | None = None


@dataclass(frozen=True, kw_only=True)
class StoredAnswer(Answer):
    """An answer as the journal gives it back: the Answer, the id that names it, and when
    `assistant edit` last corrected it.

    It subclasses Answer rather than wrapping one because it *is* the answer: the summary, the
    exports and the listings read the same fields of a stored answer and of one just given, so
    `answer.transcript` reads the same everywhere. kw_only because Answer's last fields have
    defaults. Built only by records.py, from what the journal read.
    """

    id: int
    edited_at: str | None = None  # local ISO time of the last `assistant edit`


@dataclass(frozen=True)
class StoredSummary:
    """A week's summary as composed and kept, so `assistant summary --replay` says it again."""

    week: str                     # the ISO week it summarises ("2026-W47")
    lines: list[str]
    language: str | None = None   # the pack it was composed in (None in a hand-written record)
    composed_at: str | None = None
    quotes: list[list[int]] | None = None  # [line index, answer id]: which line quotes which answer
