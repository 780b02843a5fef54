"""The roles the session talks to. Technologies implement them; fakes need no inheritance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import Protocol

from assistant.conversation.dialogue import Answer, Heard, StoredAnswer, StoredSummary


class Listener(Protocol):
    def listen(self, short_reply: bool = False) -> Heard:
        """Wait for one turn of the person and return what was heard (possibly silence).

        `short_reply`: a word is the expected answer (yes/no, a value), so a sure one said alone
        may end the turn after a short pause rather than the reflective one."""


class Voice(Protocol):
    def say(self, text: str) -> None:
        """Speak (or show) the text; return when it is done."""

    def prepare(self, texts: Iterable[str]) -> None:
        """Get these texts ready ahead of time, so speaking them starts at once."""


class Journal(Protocol):
    def add(self, answer: Answer, audio: bytes | None = None) -> int:
        """Store an answer (and its 16 kHz audio, when kept) durably; returns its id."""

    def remove(self, answer_id: int) -> None:
        """Erase one stored answer (undo: a new answer to the same question follows)."""

    def remove_many(self, answer_ids: Iterable[int]) -> int | None:
        """Erase answers for good, from the backups too ("forget that")."""


class StoredWeeks(Protocol):
    """The journal read back by week (journal/tinyjournal.py): what the summary, the page and
    the person's own recordings are made of; and the summary kept, so --replay says it again."""

    def week(self, iso_year: int, iso_week: int) -> list[StoredAnswer]: ...

    def answers(self, since: date | None = None, until: date | None = None,
                script: str | None = None) -> list[StoredAnswer]: ...

    def summary(self, iso_year: int, iso_week: int) -> StoredSummary | None: ...

    def save_summary(self, iso_year: int, iso_week: int, summary: StoredSummary) -> None: ...


class Microphone(Protocol):
    def stream(self) -> AbstractContextManager[Iterator[bytes]]:
        """Capture one turn: chunks of 16 kHz mono s16le audio; capture stops on exit (muted)."""


class Speaker(Protocol):
    def play(self, pcm: bytes, rate: int = ...) -> None:
        """Play mono s16le audio at `rate` Hz (the voice's own); return when it has been played.

        Without a rate it is the microphone's (audio.RATE): a recorded answer played back."""


class Remembered(Protocol):
    """What the device remembers about the person between conversations (journal/profile.py):
    the dilemma's function family, asked once."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...
