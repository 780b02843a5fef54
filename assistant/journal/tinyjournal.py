"""The journal: answers in one TinyDB file per ISO week, durable, private and shared safely.

One file per week keeps the cost of an answer flat however long the history grows: an add
rereads and rewrites only its own week. Writers hold an exclusive flock on journal.lock in the
data dir, readers a shared one, so `assistant export` during a session, or two sessions at once,
never lose an update. A damaged file is moved aside and restored from its backups (backups.py).

Failing storage is said, never a traceback: a write that fails (full disk, read-only card, I/O
error) raises a StorageFault and leaves every file as it was; a journal on a read-only folder
opens for reading; a record that is not an answer is skipped with one warning (records.py).

This module says what answers mean (adding, editing, erasing, reading), around its parts:
opening.py opens the data dir, weekfiles.py does the files (locks, reads that repair, changes,
backups, the schema check), keptaudio.py the kept WAVs, summaries.py the week summaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb.table import Document, Table

from assistant.conversation.dialogue import Answer, StoredAnswer, StoredSummary
from assistant.errors import UserError
from assistant.faults import StorageFault
from assistant.journal.keptaudio import KeptAudio
from assistant.journal.migrate import LEGACY_FILE
from assistant.journal.opening import FOLDER, LOCK_FILE, open_week_files
from assistant.journal.records import answer_record, stored_answer
from assistant.journal.storage import AtomicJSONStorage
from assistant.journal.summaries import Summaries
from assistant.journal.weekfiles import SCHEMA_VERSION
from assistant.weeks import (
    by_week,
    local_date,
    make_id,
    records_by_week,
    split_id,
    week_files,
    week_of,
    week_overlaps,
)

__all__ = ["SCHEMA_VERSION", "FOLDER", "LOCK_FILE", "LEGACY_FILE", "AtomicJSONStorage", "TinyJournal"]
EDITABLE = {f.name for f in fields(StoredAnswer)} - {"id"}


class TinyJournal:
    """Answers of every session and the week summaries; audio of an answer (when kept) as a WAV
    in audio/. What the records mean lives here; how week files are read, locked and repaired
    lives in weekfiles.py, the kept WAVs in keptaudio.py, the summaries in summaries.py."""

    def __init__(self, data_dir: Path, backups: int = 7, today: Callable[[], date] = date.today):
        self._files = open_week_files(Path(data_dir), backups, today)
        self._audio = KeptAudio(Path(data_dir), self._files)
        self._summaries = Summaries(self._files)

    @property
    def read_only(self) -> bool:
        return self._files.read_only

    @property
    def folder(self) -> Path:
        return self._files.folder

    @property
    def backup_trouble(self) -> StorageFault | None:
        """A daily backup that could not be refreshed (the answers themselves are durable)."""
        return self._files.backup_trouble

    def add(self, answer: Answer, audio: bytes | None = None, *, again: bool = False) -> int:
        """Store the answer; the id is returned only once the answer is durable on disk.

        again=True retries an add that failed: when that earlier attempt did reach the file (its
        rename succeeded, the folder's fsync did not), the answer is not stored twice.
        """
        record = answer_record(answer)
        year, week = week_of(answer.started_at)
        with self._files.writing():
            if audio:
                record["audio_file"] = self._audio.keep(answer, audio)
            there = self._same_answer(year, week, record) if again else None
            record_id = there or self._files.change(year, week, lambda table: table.insert(record))
        return make_id(year, week, record_id)

    def _same_answer(self, year: int, week: int, record: dict[str, Any]) -> int | None:
        for number, stored in self._read_records(year, week, may_repair=True).items():
            if stored == record:
                return number
        return None

    def edit(self, answer_id: int, changes: Mapping[str, Any]) -> StoredAnswer:
        """Change fields of one stored answer (a corrected transcript), through the journal, so
        its checksum and backups stay right; summaries that may quote the old words go.

        changes name StoredAnswer fields (never its id): only those are written, so a field
        this version does not know stays in the file as it was."""
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"not fields of a stored answer: {', '.join(sorted(unknown))}")
        year, week, record_id = split_id(answer_id)
        if not self._files.path(year, week).exists():
            raise UserError(f"no answer {answer_id}; `assistant list` shows the ids")
        with self._files.writing():
            found = self._files.change(year, week, lambda t: _updated(t, record_id, changes))
            if found is None:
                raise UserError(f"no answer {answer_id}; `assistant list` shows the ids")
            self._summaries.drop_quoting(year, week)
        return stored_answer(answer_id, found)

    def add_many(self, answers: Iterable[Answer]) -> list[int]:
        """Store many answers with one write per week (imports, benchmarks)."""
        ids = []
        with self._files.writing():
            for year, week, of_week in by_week(answers, lambda answer: week_of(answer.started_at)):
                records = [answer_record(a) for a in of_week]
                added = self._files.change(year, week, lambda table: table.insert_multiple(records))  # noqa: B023 (called at once)
                ids += [make_id(year, week, n) for n in added]
        return ids

    def remove(self, answer_id: int) -> None:
        """Erase one answer and its audio; an unknown id changes nothing."""
        year, week, record_id = split_id(answer_id)
        if not self._files.path(year, week).exists():
            return
        with self._files.writing():
            gone = self._files.change(year, week, lambda table: self._remove_records(table, [record_id]))
            if gone:
                self._summaries.drop_quoting(year, week)

    def remove_many(self, answer_ids: Iterable[int]) -> int:
        """Erase answers and their audio, one write per week; older backups of those weeks go too.

        Forgetting must reach the daily backups, or an erased answer lives on in them.
        """
        removed = 0
        with self._files.writing():
            for year, week, records in records_by_week(answer_ids):
                path = self._files.path(year, week)
                gone = path.exists() and self._files.change(
                    year, week, lambda t: self._remove_records(t, records))  # noqa: B023 (called at once)
                if gone:
                    self._summaries.drop_quoting(year, week)
                    self._files.backups.keep_newest_only(path)
                removed += gone or 0
        return removed

    def expire_audio(self, older_than: timedelta, now: datetime) -> int:
        """Delete kept WAVs older than older_than: audio does not outlive its purpose."""
        return self._audio.expire(older_than, now, self.answers)

    def answers(self, since: date | None = None, until: date | None = None,
                script: str | None = None) -> list[StoredAnswer]:
        """Answers (with their ids) oldest first, by local date since..until inclusive, one script."""
        weeks = [(y, w) for y, w, _ in week_files(self._files.folder) if week_overlaps(y, w, since, until)]
        found = [a for a in self._read_answers(weeks)
                 if (since is None or local_date(a.started_at) >= since)
                 and (until is None or local_date(a.started_at) <= until)
                 and (script is None or a.script == script)]
        return sorted(found, key=oldest_first)

    def week(self, iso_year: int, iso_week: int) -> list[StoredAnswer]:
        """The answers of one ISO week, oldest first."""
        return sorted(self._read_answers([(iso_year, iso_week)]), key=oldest_first)

    def save_summary(self, iso_year: int, iso_week: int, summary: StoredSummary) -> None:
        """Keep the summary composed of that week (replacing an older one), durably."""
        self._summaries.save(iso_year, iso_week, summary)

    def summary(self, iso_year: int, iso_week: int) -> StoredSummary | None:
        """The summary last composed of that week, or None."""
        return self._summaries.of_week(iso_year, iso_week)

    def last_summary(self) -> StoredSummary | None:
        """The stored summary of the newest week that has one."""
        return self._summaries.last()

    def _read_answers(self, weeks: list[tuple[int, int]]) -> list[StoredAnswer]:
        return [stored_answer(answer_id, record) for answer_id, record in self._files.read(weeks)]

    def _read_records(self, year: int, week: int, may_repair: bool) -> dict[int, dict[str, Any]]:
        """The readable answer records of one week by record number (caller holds a lock)."""
        return {split_id(answer_id)[2]: record
                for answer_id, record in self._files.read_week(year, week, may_repair)}

    def _remove_records(self, table: Table, record_ids: list[int]) -> int:
        """Remove the records that exist (and their WAVs); no write when none does."""
        found = [r for r in (_record(table, n) for n in set(record_ids)) if r is not None]
        for record in found:
            self._audio.delete(record.get("audio_file"))  # a raw record: this is the storage edge
        if found:
            table.remove(doc_ids=[r.doc_id for r in found])
        return len(found)


def oldest_first(answer: StoredAnswer) -> tuple[str, int]:
    return answer.started_at, answer.id


def _updated(table: Table, record_id: int, changes: Mapping[str, Any]) -> dict[str, Any] | None:
    """The record after the changes, or None when there is no such record (nothing written)."""
    if _record(table, record_id) is None:
        return None
    table.update(dict(changes), doc_ids=[record_id])
    updated = table.get(doc_id=record_id)
    return dict(updated) if updated is not None else None


def _record(table: Table, record_id: int) -> Document | None:
    """One record of a TinyDB table, or None when absent or not a record (skipped on reading)."""
    try:
        return table.get(doc_id=record_id)
    except (TypeError, ValueError):
        return None
