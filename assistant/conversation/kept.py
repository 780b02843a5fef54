"""The answers one session kept, in order: what undo takes back, "keep it" brings back, and
"forget that" erases for good.

The journal stores; this remembers which stored answers are this session's, and the one last
undone with all it takes to store it again (its audio too), so a misheard undo loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.conversation.dialogue import Answer
from assistant.conversation.roles import Journal


@dataclass(frozen=True)
class Kept:
    """An answer stored in this session, and where in the session it was given."""

    moment: int
    index: int  # of its question in the script
    answer_id: int
    answer: Answer
    audio: bytes | None


class SessionAnswers:
    """This session's stored answers; `ids` is the session result's list, kept up to date."""

    def __init__(self, journal: Journal, ids: list[int]):
        self._journal, self._ids = journal, ids
        self._kept: list[Kept] = []
        self._undone: Kept | None = None

    def __bool__(self) -> bool:
        return bool(self._kept)

    def add(self, moment: int, index: int, answer: Answer, audio: bytes | None) -> Kept:
        """Store a new answer; an answer undone before it can no longer be brought back."""
        self._undone = None
        kept = Kept(moment, index, self._journal.add(answer, audio), answer, audio)
        self._remember(kept)
        return kept

    def take_back(self) -> Kept | None:
        """Erase the last answer (undo), remembering it; None when there is none."""
        if not self._kept:
            return None
        self._undone = kept = self._kept.pop()
        self._journal.remove(kept.answer_id)
        self._ids.remove(kept.answer_id)
        return kept

    def can_bring_back(self, moment: int, index: int) -> bool:
        """Whether the answer to this question was just undone (and so can be kept after all)."""
        undone = self._undone
        return undone is not None and (undone.moment, undone.index) == (moment, index)

    def bring_back(self) -> Kept:
        """Store the undone answer again, as it was (can_bring_back said there is one)."""
        undone, self._undone = self._undone, None
        assert undone is not None, "can_bring_back() first"
        kept = replace(undone, answer_id=self._journal.add(undone.answer, undone.audio))
        self._remember(kept)
        return kept

    def erase_last(self) -> None:
        """Erase the last answer for good, from the backups too ("forget that", after a yes)."""
        answer_id = self._kept.pop().answer_id
        self._journal.remove_many([answer_id])
        self._ids.remove(answer_id)

    def _remember(self, kept: Kept) -> None:
        self._kept.append(kept)
        self._ids.append(kept.answer_id)
