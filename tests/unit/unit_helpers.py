"""Plain helpers shared by the unit tests (fixtures live in conftest.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from assistant.dialogue import Answer

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
