"""Which stored records every command can rely on, and the typed values they become.

One bad record must not stop the others. A week file can hold a record that is not an answer
(edited by hand, written by another tool): "hello", a record without started_at, a date like
"yesterday". Such a record is left in the file untouched, skipped on reading, and named once in
a warning. A record that passes becomes a StoredAnswer or StoredSummary right here, beside that
check, so nothing outside the storage edge reads a record by key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import MISSING, asdict, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.conversation.dialogue import Answer, StoredAnswer, StoredSummary

log = logging.getLogger("assistant.journal")

_TEXTS = ("session_id", "script", "language", "question_id", "question", "transcript")
_NUMBERS = ("audio_seconds",)


def answer_problem(record: Any) -> str | None:
    """Why this record cannot be read as an answer, or None when it can."""
    if not isinstance(record, dict):
        return f"not a record but {type(record).__name__} {str(record)[:30]!r}"
    for key in _TEXTS:
        if not isinstance(record.get(key), str):
            return _wrong(record, key, "a text")
    if not isinstance(record.get("moment"), int) or isinstance(record.get("moment"), bool):
        return _wrong(record, "moment", "a whole number")
    for key in _NUMBERS:
        if not isinstance(record.get(key, 0), (int, float)) or isinstance(record.get(key), bool):
            return _wrong(record, key, "a number")
    for key in ("started_at", "ended_at"):
        if not _is_time(record.get(key)):
            return _wrong(record, key, "a time like 2026-11-22T20:00:00+01:00")
    return None


def summary_problem(record: Any) -> str | None:
    """Why this stored summary cannot be said again, or None when it can."""
    if not isinstance(record, dict):
        return f"not a record but {type(record).__name__}"
    lines = record.get("lines")
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        return _wrong(record, "lines", "a list of texts")
    if not isinstance(record.get("week"), str):
        return _wrong(record, "week", "a week like 2026-W47")
    return None


def stored_answer(answer_id: int, record: dict[str, Any]) -> StoredAnswer:
    """The typed answer of a record answer_problem passed; a field the record lacks gets its
    default (audio_seconds 0, as the check reads it; confidence None). Keys that are no field
    (a newer version's) stay in the file, unread."""
    return StoredAnswer(id=answer_id, **_fields_of(StoredAnswer, record, exclude=frozenset({"id"})))


def answer_record(answer: Answer) -> dict[str, Any]:
    """What the journal writes of an answer: its Answer fields, in their order (never an id)."""
    return {f.name: getattr(answer, f.name) for f in fields(Answer)}


def stored_summary(record: dict[str, Any]) -> StoredSummary:
    """The typed summary of a record summary_problem passed."""
    return StoredSummary(**_fields_of(StoredSummary, record))


def summary_record(summary: StoredSummary) -> dict[str, Any]:
    """What the journal writes of a summary; no quotes key when it has none (as it always was)."""
    return {k: v for k, v in asdict(summary).items() if not (k == "quotes" and v is None)}


def _fields_of(kind: type, record: dict[str, Any], exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    found = {}
    for f in fields(kind):
        if f.name in exclude:
            continue
        if f.name in record:
            found[f.name] = record[f.name]
        elif f.default is not MISSING:
            found[f.name] = f.default
        else:
            found[f.name] = _MISSING_REQUIRED.get(f.name)
    return found


_MISSING_REQUIRED = {"audio_seconds": 0.0}  # answer_problem reads a missing one as 0


def _wrong(record: dict[str, Any], key: str, expected: str) -> str:
    if key not in record:
        return f"no {key}"
    return f"{key} {str(record[key])[:30]!r} is not {expected}"


def _is_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


class SkippedRecords:
    """Warns once per record per process, so a command reading a week twice says it once."""

    def __init__(self) -> None:
        self._told: set[tuple[str, str, str]] = set()

    def good(self, path: Path, table: str, records: dict[str, Any],
             name: Callable[[int], str] = str) -> dict[int, dict[str, Any]]:
        """The readable records of one table, by record number; the others warned about.

        name gives how a record is called in the warning (the journal: its answer id)."""
        check = answer_problem if table == "answers" else summary_problem
        found = {}
        for key, record in records.items():
            problem = "its number is not a whole number" if not key.isdigit() else check(record)
            if problem is None:
                found[int(key)] = record
            elif (str(path), table, key) not in self._told:
                self._told.add((str(path), table, key))
                label = name(int(key)) if key.isdigit() else repr(key)
                log.warning("journal file %s: record %s of %s skipped (%s); the other records "
                            "are read as usual", path, label, table, problem)
        return found

    def warn_once(self, path: Path, what: str, message: str, *args: Any) -> None:
        """One warning about one file per process (a damaged file read on a read-only card)."""
        if (str(path), what, "") not in self._told:
            self._told.add((str(path), what, ""))
            log.warning(message, *args)
