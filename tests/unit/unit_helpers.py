"""Plain helpers shared by the unit tests (fixtures live in conftest.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from assistant.conversation.dialogue import Answer, Heard
from assistant.errors import InputExhausted

FIXTURES = Path(__file__).parent.parent / "fixtures"
KO_PACK = FIXTURES / "lang" / "ko.toml"


def write_toml(path: Path, text: str) -> Path:
    """Write dedented TOML to path (creating its folder) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_answer(**changes) -> Answer:
    """An answer with sensible defaults; keyword arguments override fields."""
    fields = dict(session_id="20261122-200000-abcd", script="compass", language="en", moment=1,
                  question_id="situation", question="What happened?", transcript="I took a break",
                  confidence=0.9, audio_seconds=4.5, started_at="2026-11-22T20:00:00+01:00",
                  ended_at="2026-11-22T20:00:05+01:00")
    fields.update(changes)
    return Answer(**fields)


def one_line(message: str) -> bool:
    return "\n" not in message and message.strip() == message and bool(message)


class ScriptedEars:
    """Returns the given turns in order; running out means the input is over."""

    def __init__(self, turns):
        self.turns = list(turns)

    def listen(self, short_reply: bool = False) -> Heard:
        self.short_replies = [*getattr(self, "short_replies", []), short_reply]
        if not self.turns:
            raise InputExhausted()
        return self.turns.pop(0)


class RecordingVoice:
    def __init__(self):
        self.said: list[str] = []
        self.prepared: list[str] = []

    def prepare(self, texts):
        self.prepared += list(texts)

    def say(self, text):
        self.said.append(text)


class MemoryJournal:
    def __init__(self):
        self.rows: dict[int, object] = {}
        self.audio: dict[int, bytes | None] = {}
        self.forgotten: list[int] = []
        self._next = 1

    def add(self, answer, audio=None):
        self.rows[self._next], self.audio[self._next] = answer, audio
        self._next += 1
        return self._next - 1

    def remove(self, answer_id):
        del self.rows[answer_id]

    def remove_many(self, answer_ids):
        self.forgotten += list(answer_ids)
        for answer_id in answer_ids:
            del self.rows[answer_id]

    def by_question(self):
        return {(a.moment, a.question_id): a for a in self.rows.values()}
