"""Answers the disk would not take are held in memory and written at the next chance.

A full card (or a read-only or failing one) must not cost the person the answer they just gave,
nor the session: the answer is held, the session goes on, and every later answer and the end of
the session try the held ones again, oldest first. What still cannot be written is said in one
line (how many answers of this session are kept), and spoken with the pack's `not_kept` phrase.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.conversation.dialogue import Answer
from assistant.conversation.roles import Voice
from assistant.faults import StorageFault
from assistant.journal.tinyjournal import TinyJournal
from assistant.packs import Pack


class PatientJournal:
    """Wraps a TinyJournal (the Journal role); everything else is passed through.

    A held answer gets a provisional negative id, so undo and "forget that" work on it too.
    """

    def __init__(self, journal: TinyJournal) -> None:
        self._journal = journal
        self._held: list[tuple[int, Answer, bytes | None]] = []
        self._written: dict[int, int] = {}  # provisional id -> id in the journal
        self._next = 0
        self.fault: StorageFault | None = None  # the last write that failed
        self.kept: list[int] = []               # ids of the answers written through this wrapper

    def add(self, answer: Answer, audio: bytes | None = None) -> int:
        if not self.flush():
            return self._hold(answer, audio)  # the held ones go first, to keep the order
        try:
            answer_id = self._journal.add(answer, audio)
        except StorageFault as fault:
            self.fault = fault
            return self._hold(answer, audio)
        self.kept.append(answer_id)
        return answer_id

    def flush(self) -> bool:
        """Write the held answers, oldest first; False while some still cannot be written."""
        while self._held:
            provisional, answer, audio = self._held[0]
            try:
                answer_id = self._journal.add(answer, audio, again=True)
            except StorageFault as fault:
                self.fault = fault
                return False
            self._held.pop(0)
            self._written[provisional] = answer_id
            self.kept.append(answer_id)
        return True

    @property
    def unsaved(self) -> int:
        return len(self._held)

    def stored_ids(self, answer_ids: list[int]) -> list[int]:
        """The journal ids of these answers (provisional ones once written); unwritten ones left out."""
        return [self._written.get(i, i) for i in answer_ids if i >= 0 or i in self._written]

    def remove(self, answer_id: int) -> None:
        """Undo: a held answer is simply never written."""
        for stored in self._forget(answer_id):
            self._journal.remove(stored)

    def remove_many(self, answer_ids: Iterable[int]) -> int:
        """Erase answers for good, held or written ("forget that")."""
        stored = [s for answer_id in list(answer_ids) for s in self._forget(answer_id)]
        return self._journal.remove_many(stored) if stored else 0

    def _forget(self, answer_id: int) -> list[int]:
        """Drop a held answer; the journal id of a written one."""
        self._held = [h for h in self._held if h[0] != answer_id]
        stored = self._written.get(answer_id, answer_id)
        if stored < 0:
            return []
        self.kept = [i for i in self.kept if i != stored]
        return [stored]

    def new_session(self) -> None:
        """Count kept answers afresh (the service keeps one journal for all its sessions)."""
        self.kept, self.fault = [], None

    def finish(self, voice: Voice, pack: Pack, command: str) -> str | None:
        """At the end of a session: try once more; the one line when answers are still held."""
        if self.flush() or self.fault is None:
            return None
        voice.say(pack.phrases["not_kept"])
        return self.fault.session_line(len(self.kept), self.unsaved, command)

    def _hold(self, answer: Answer, audio: bytes | None) -> int:
        self._next -= 1
        self._held.append((self._next, answer, audio))
        return self._next

    def __getattr__(self, name: str) -> Any:
        return getattr(self._journal, name)
