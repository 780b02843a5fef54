"""The journal: answers in one TinyDB file per ISO week, durable, private and shared safely.

One file per week keeps the cost of an answer flat however long the history grows: an add
rereads and rewrites only its own week. Writers hold an exclusive flock on journal.lock in the
data dir, readers a shared one, so `assistant export` during a session, or two sessions at once,
never lose an update. A damaged file is moved aside and restored from its backups (backups.py).

Failing storage is said, never a traceback: a write that fails (full disk, read-only card, I/O
error) raises a StorageFault and leaves every file as it was; a journal on a read-only folder
opens for reading; a record that is not an answer is skipped with one warning (records.py).

This module says what answers and summaries mean (adding, editing, erasing, expiring audio);
weekfiles.py does the files: locks, reads that repair, changes, backups, the schema check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb.table import Document

from assistant.conversation.dialogue import Answer, StoredAnswer, StoredSummary
from assistant.errors import UserError
from assistant.faults import StorageFault, unreadable
from assistant.journal.backups import Backups
from assistant.journal.migrate import LEGACY_FILE, migrate_legacy
from assistant.journal.records import answer_record, stored_answer, stored_summary, summary_record
from assistant.journal.storage import AtomicJSONStorage, FileLock
from assistant.journal.weekfiles import SCHEMA_VERSION, SUMMARIES, WeekFiles
from assistant.paths import private_dir, writable, write_private
from assistant.wav import wav_bytes
from assistant.weeks import (
    by_week,
    local_date,
    make_id,
    records_by_week,
    split_id,
    week_files,
    week_of,
    week_of_date,
    week_overlaps,
)

FOLDER = "journal"
LOCK_FILE = "journal.lock"
__all__ = ["SCHEMA_VERSION", "FOLDER", "LOCK_FILE", "LEGACY_FILE", "AtomicJSONStorage", "TinyJournal"]
EDITABLE = {f.name for f in fields(StoredAnswer)} - {"id"}


class TinyJournal:
    """Answers of every session and the week summaries; audio of an answer (when kept) as a WAV
    in audio/. What the records mean lives here; how week files are read, locked and repaired
    lives in weekfiles.py."""

    def __init__(self, data_dir: Path, backups: int = 7, today: Callable[[], date] = date.today):
        self._dir = Path(data_dir)
        try:
            self._files = self._open(backups, today)
        except OSError as error:  # another user's folder, a card that fails to read
            raise unreadable(error, self._dir) from None

    def _open(self, backups: int, today: Callable[[], date]) -> WeekFiles:
        """Read-only when the folder cannot be written; else tidy, migrate, check the newest week."""
        lock = FileLock(self._dir / LOCK_FILE)
        if self._dir.is_dir() and not (writable(self._dir) and writable_or_absent(self._dir / FOLDER)):
            folder = self._dir / FOLDER
            if not folder.is_dir() and (self._dir / LEGACY_FILE).exists():
                raise UserError(f"the journal in {self._dir} is of an older version and the folder is "
                                "read-only: copy the folder to a writable disk and use it with --data-dir")
            return WeekFiles(self._dir, folder, lock,
                             Backups(folder / "backups", backups, today, create=False), read_only=True)
        self._dir = private_dir(self._dir)
        folder = private_dir(self._dir / FOLDER)
        files = WeekFiles(self._dir, folder, lock, Backups(folder / "backups", backups, today), False)
        with files.writing():
            self._remove_stray_temp_files(files)
            migrate_legacy(self._dir / LEGACY_FILE, files.write_new_week, files.backups.folder)
            for year, week, _ in week_files(folder)[-1:]:  # damage is most likely where writing happened last
                files.read_week(year, week, may_repair=True)
        return files

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
                record["audio_file"] = self._keep_audio(answer, audio)
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
            found = self._files.change(year, week, lambda t: self._update_record(t, record_id, changes))
            if found is None:
                raise UserError(f"no answer {answer_id}; `assistant list` shows the ids")
            self._drop_summaries_quoting(year, week)
        return stored_answer(answer_id, found)

    @staticmethod
    def _update_record(table: Any, record_id: int, changes: Mapping[str, Any]) -> dict[str, Any] | None:
        if _record(table, record_id) is None:
            return None
        table.update(dict(changes), doc_ids=[record_id])
        return dict(table.get(doc_id=record_id))

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
                self._drop_summaries_quoting(year, week)

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
                    self._drop_summaries_quoting(year, week)
                    self._files.backups.keep_newest_only(path)
                removed += gone or 0
        return removed

    def expire_audio(self, older_than: timedelta, now: datetime) -> int:
        """Delete kept WAVs older than older_than (answer start, or mtime when no answer has it).

        Audio is the most identifying thing kept, so it does not outlive its purpose.
        """
        audio = self._dir / "audio"
        wavs = sorted(audio.glob("*.wav")) if audio.is_dir() else []
        if not wavs:
            return 0  # nothing kept: no journal file is read
        cutoff = now - older_than
        dated = [a for a in self.answers() if a.audio_file]  # all: clocks can be wrong
        expired = [a for a in dated if datetime.fromisoformat(a.started_at) < cutoff]
        self._forget_audio(expired)
        referenced = {self._dir / str(a.audio_file) for a in dated}
        orphans = [w for w in wavs if w not in referenced and w.stat().st_mtime < cutoff.timestamp()]
        for wav in [*(self._dir / str(a.audio_file) for a in expired), *orphans]:
            wav.unlink(missing_ok=True)
        return len(expired) + len(orphans)

    def _forget_audio(self, answers: list[StoredAnswer]) -> None:
        """Set audio_file to null, one write per week, before any WAV goes (no dangling names)."""
        with self._files.writing():
            for year, week, records in records_by_week(a.id for a in answers):
                self._files.change(year, week, lambda t: self._clear_audio(t, records))  # noqa: B023 (called at once)

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
        record = summary_record(summary)

        def replace(table: Any) -> None:
            table.truncate()
            table.insert(record)
        with self._files.writing():
            self._files.change(iso_year, iso_week, replace, table=SUMMARIES)

    def summary(self, iso_year: int, iso_week: int) -> StoredSummary | None:
        """The summary last composed of that week, or None."""
        found = self._files.read([(iso_year, iso_week)], table=SUMMARIES)
        return stored_summary(found[-1][1]) if found else None

    def last_summary(self) -> StoredSummary | None:
        """The stored summary of the newest week that has one (most often this week or the last)."""
        for year, week, _ in reversed(week_files(self._files.folder)):
            found = self.summary(year, week)
            if found is not None:
                return found
        return None

    def _read_answers(self, weeks: list[tuple[int, int]]) -> list[StoredAnswer]:
        return [stored_answer(answer_id, record) for answer_id, record in self._files.read(weeks)]

    def _read_records(self, year: int, week: int, may_repair: bool) -> dict[int, dict[str, Any]]:
        """The readable answer records of one week by record number (caller holds a lock)."""
        return {split_id(answer_id)[2]: record
                for answer_id, record in self._files.read_week(year, week, may_repair)}

    def _drop_summaries_quoting(self, year: int, week: int) -> None:
        """Summaries of this week and the next may repeat erased words: they go too.

        (The next week's summary names the intention set in this one.) Caller holds the lock.
        """
        monday = date.fromisocalendar(year, week, 1)
        for y, w in (week_of_date(monday), week_of_date(monday + timedelta(days=7))):
            path = self._files.path(y, w)
            if path.exists() and self._files.read_week(y, w, True, SUMMARIES):
                self._files.change(y, w, lambda t: t.truncate(), table=SUMMARIES)
                self._files.backups.keep_newest_only(path)

    def _remove_records(self, table: Any, record_ids: list[int]) -> int:
        """Remove the records that exist (and their WAVs); no write when none does."""
        found = [r for r in (_record(table, n) for n in set(record_ids)) if r is not None]
        for record in found:
            audio_file = record.get("audio_file")  # a raw record: this is the storage edge
            if audio_file:
                (self._dir / audio_file).unlink(missing_ok=True)
        if found:
            table.remove(doc_ids=[r.doc_id for r in found])
        return len(found)

    @staticmethod
    def _clear_audio(table: Any, record_ids: list[int]) -> None:
        present = [n for n in record_ids if table.contains(doc_id=n)]  # one may be erased meanwhile
        if present:
            table.update({"audio_file": None}, doc_ids=present)

    def _remove_stray_temp_files(self, files: WeekFiles) -> None:
        """Temp files of writes a crash or a full disk interrupted: never part of the journal."""
        for stray in [*self._dir.glob(".*.tmp"), *files.folder.glob(".*.tmp"),
                      *files.backups.folder.glob("*/.*.tmp"), *(self._dir / "audio").glob(".*.tmp")]:
            stray.unlink(missing_ok=True)

    def _keep_audio(self, answer: Answer, audio: bytes) -> str:
        folder = private_dir(self._dir / "audio")
        name = f"{answer.session_id}-m{answer.moment}-{answer.question_id}.wav"
        write_private(folder / name, wav_bytes(audio))
        return f"audio/{name}"


def oldest_first(answer: StoredAnswer) -> tuple[str, int]:
    return answer.started_at, answer.id


def writable_or_absent(folder: Path) -> bool:
    return not folder.exists() or writable(folder)


def _record(table: Any, record_id: int) -> Document | None:
    """One record of a TinyDB table, or None when absent or not a record (skipped on reading)."""
    try:
        return table.get(doc_id=record_id)
    except (TypeError, ValueError):
        return None
