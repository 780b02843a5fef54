"""The journal: answers in one TinyDB file per ISO week, durable, private and shared safely.

One file per week keeps the cost of an answer flat however long the history grows: an add
rereads and rewrites only its own week. Writers hold an exclusive flock on journal.lock in the
data dir, readers a shared one, so `assistant export` during a session, or two sessions at once,
never lose an update. A damaged file is moved aside and restored from its backups (backups.py).

Failing storage is said, never a traceback: a write that fails (full disk, read-only card, I/O
error) raises a StorageFault and leaves every file as it was; a journal on a read-only folder
opens for reading; a record that is not an answer is skipped with one warning (records.py).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable, Iterator

from tinydb import TinyDB

from assistant.audio import wav_bytes
from assistant.backups import Backups, recovered, repair
from assistant.dialogue import Answer
from assistant.errors import UserError
from assistant.migrate import LEGACY_FILE, migrate_legacy
from assistant.faults import READ_ONLY, StorageFault, unreadable
from assistant.paths import private_dir, writable, write_private
from assistant.records import SkippedRecords
from assistant.storage import AtomicJSONStorage, DamagedFile, FileLock
from assistant.weeks import (local_date, make_id, split_id, week_files, week_name, week_of,
                             week_of_date, week_overlaps)

SCHEMA_VERSION = 2
FOLDER = "journal"
SUMMARIES = "summaries"  # table of a week file: the summary last composed of that week
LOCK_FILE = "journal.lock"
__all__ = ["SCHEMA_VERSION", "FOLDER", "LOCK_FILE", "LEGACY_FILE", "AtomicJSONStorage", "TinyJournal"]
log = logging.getLogger(__name__)


class TinyJournal:
    """Answers of every session; audio of an answer (when kept) as a WAV in audio/."""

    def __init__(self, data_dir: Path, backups: int = 7, today: Callable[[], date] = date.today):
        self._dir = Path(data_dir)
        self._skipped = SkippedRecords()
        self.backup_trouble: StorageFault | None = None  # a daily backup that could not be refreshed
        self._lock = FileLock(self._dir / LOCK_FILE)
        try:
            self._open(backups, today)
        except OSError as error:  # another user's folder, a card that fails to read
            raise unreadable(error, self._dir) from None

    def _open(self, backups: int, today: Callable[[], date]) -> None:
        """Read-only when the folder cannot be written; else tidy, migrate, check the newest week."""
        self.read_only = self._dir.is_dir() and not (writable(self._dir) and writable_or_absent(
            self._dir / FOLDER))
        if self.read_only:
            self.folder = self._dir / FOLDER
            self._backups = Backups(self.folder / "backups", backups, today, create=False)
            if not self.folder.is_dir() and (self._dir / LEGACY_FILE).exists():
                raise UserError(f"the journal in {self._dir} is of an older version and the folder is "
                                "read-only: copy the folder to a writable disk and use it with --data-dir")
            return
        self._dir = private_dir(self._dir)
        self.folder = private_dir(self._dir / FOLDER)
        self._backups = Backups(self.folder / "backups", backups, today)
        with self._writing():
            self._remove_stray_temp_files()
            migrate_legacy(self._dir / LEGACY_FILE, self._write_new_week, self._backups.folder)
            newest = week_files(self.folder)[-1:]
            for year, week, _ in newest:  # damage is most likely where writing happened last
                self._read_week(year, week, may_repair=True)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The exclusive lock for a change; any OSError of the change becomes one StorageFault."""
        if self.read_only:
            raise StorageFault(READ_ONLY, self._dir, "read-only")
        try:
            with self._lock.exclusive():
                yield
        except OSError as error:
            raise StorageFault.of(error, self._dir) from None

    def add(self, answer: Answer, audio: bytes | None = None, *, again: bool = False) -> int:
        """Store the answer; the id is returned only once the answer is durable on disk.

        again=True retries an add that failed: when that earlier attempt did reach the file (its
        rename succeeded, the folder's fsync did not), the answer is not stored twice.
        """
        record = asdict(answer)
        year, week = week_of(answer.started_at)
        with self._writing():
            if audio:
                record["audio_file"] = self._keep_audio(answer, audio)
            there = self._same_answer(year, week, record) if again else None
            record_id = there or self._change_week(year, week, lambda table: table.insert(record))
        return make_id(year, week, record_id)

    def _same_answer(self, year: int, week: int, record: dict[str, Any]) -> int | None:
        for stored in self._read_week(year, week, may_repair=True):
            if {k: v for k, v in stored.items() if k != "id"} == record:
                return split_id(stored["id"])[2]
        return None

    def edit(self, answer_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Change fields of one stored answer (a corrected transcript), through the journal, so
        its checksum and backups stay right; summaries that may quote the old words go."""
        year, week, record_id = split_id(answer_id)
        if not self._week_path(year, week).exists():
            raise UserError(f"no answer {answer_id}; `assistant list` shows the ids")
        with self._writing():
            found = self._change_week(year, week, lambda t: self._update_record(t, record_id, changes))
            if found is None:
                raise UserError(f"no answer {answer_id}; `assistant list` shows the ids")
            self._drop_summaries_quoting(year, week)
        return {"id": answer_id, **found}

    @staticmethod
    def _update_record(table: Any, record_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
        if _record(table, record_id) is None:
            return None
        table.update(changes, doc_ids=[record_id])
        return dict(table.get(doc_id=record_id))

    def add_many(self, answers: Iterable[Answer]) -> list[int]:
        """Store many answers with one write per week (imports, benchmarks)."""
        by_week: dict[tuple[int, int], list[dict]] = {}
        for answer in answers:
            by_week.setdefault(week_of(answer.started_at), []).append(asdict(answer))
        ids = []
        with self._writing():
            for (year, week), records in sorted(by_week.items()):
                added = self._change_week(year, week, lambda table: table.insert_multiple(records))  # noqa: B023 (called at once)
                ids += [make_id(year, week, n) for n in added]
        return ids

    def remove(self, answer_id: int) -> None:
        """Erase one answer and its audio; an unknown id changes nothing."""
        year, week, record_id = split_id(answer_id)
        if not self._week_path(year, week).exists():
            return
        with self._writing():
            gone = self._change_week(year, week, lambda table: self._remove_records(table, [record_id]))
            if gone:
                self._drop_summaries_quoting(year, week)

    def remove_many(self, answer_ids: Iterable[int]) -> int:
        """Erase answers and their audio, one write per week; older backups of those weeks go too.

        Forgetting must reach the daily backups, or an erased answer lives on in them.
        """
        by_week: dict[tuple[int, int], list[int]] = {}
        for answer_id in answer_ids:
            year, week, record_id = split_id(answer_id)
            by_week.setdefault((year, week), []).append(record_id)
        removed = 0
        with self._writing():
            for (year, week), records in sorted(by_week.items()):
                path = self._week_path(year, week)
                gone = path.exists() and self._change_week(
                    year, week, lambda t: self._remove_records(t, records))  # noqa: B023 (called at once)
                if gone:
                    self._drop_summaries_quoting(year, week)
                    self._backups.keep_newest_only(path)
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
        dated = [a for a in self.answers() if a.get("audio_file")]  # all: clocks can be wrong
        expired = [a for a in dated if datetime.fromisoformat(a["started_at"]) < cutoff]
        self._forget_audio(expired)
        referenced = {self._dir / a["audio_file"] for a in dated}
        orphans = [w for w in wavs if w not in referenced and w.stat().st_mtime < cutoff.timestamp()]
        for wav in [*(self._dir / a["audio_file"] for a in expired), *orphans]:
            wav.unlink(missing_ok=True)
        return len(expired) + len(orphans)

    def _forget_audio(self, answers: list[dict[str, Any]]) -> None:
        """Set audio_file to null, one write per week, before any WAV goes (no dangling names)."""
        by_week: dict[tuple[int, int], list[int]] = {}
        for answer in answers:
            year, week, record_id = split_id(answer["id"])
            by_week.setdefault((year, week), []).append(record_id)
        with self._writing():
            for (year, week), records in sorted(by_week.items()):
                self._change_week(year, week, lambda t: self._clear_audio(t, records))  # noqa: B023 (called at once)

    def answers(self, since: date | None = None, until: date | None = None,
                script: str | None = None) -> list[dict[str, Any]]:
        """Answers (with their ids) oldest first, by local date since..until inclusive, one script."""
        weeks = [(y, w) for y, w, _ in week_files(self.folder) if week_overlaps(y, w, since, until)]
        found = [a for a in self._read_weeks(weeks)
                 if (since is None or local_date(a["started_at"]) >= since)
                 and (until is None or local_date(a["started_at"]) <= until)
                 and (script is None or a["script"] == script)]
        return sorted(found, key=lambda a: (a["started_at"], a["id"]))

    def week(self, iso_year: int, iso_week: int) -> list[dict[str, Any]]:
        """The answers of one ISO week, oldest first."""
        return sorted(self._read_weeks([(iso_year, iso_week)]), key=lambda a: (a["started_at"], a["id"]))

    def save_summary(self, iso_year: int, iso_week: int, summary: dict[str, Any]) -> None:
        """Keep the summary composed of that week (replacing an older one), durably."""
        def replace(table: Any) -> None:
            table.truncate()
            table.insert(summary)
        with self._writing():
            self._change_week(iso_year, iso_week, replace, table=SUMMARIES)

    def summary(self, iso_year: int, iso_week: int) -> dict[str, Any] | None:
        """The summary last composed of that week, or None."""
        found = self._read_weeks([(iso_year, iso_week)], table=SUMMARIES)
        return found[-1] if found else None

    def last_summary(self) -> dict[str, Any] | None:
        """The stored summary of the newest week that has one (most often this week or the last)."""
        for year, week, _ in reversed(week_files(self.folder)):
            found = self.summary(year, week)
            if found is not None:
                return found
        return None

    def close(self) -> None:
        """Nothing stays open between calls: every call opens, locks and closes its files."""

    def _week_path(self, year: int, week: int) -> Path:
        return self.folder / f"{week_name(year, week)}.json"

    def _read_weeks(self, weeks: list[tuple[int, int]], table: str = "answers") -> list[dict[str, Any]]:
        """Read under a shared lock; on damage, retry under the exclusive lock that may repair.

        A read-only journal cannot repair: it reads what repairing would have put in place.
        """
        try:
            try:
                with self._lock.shared():
                    return [a for y, w in weeks for a in self._read_week(y, w, False, table)]
            except DamagedFile:
                if self.read_only:
                    with self._lock.shared():
                        return [a for y, w in weeks for a in self._read_week(y, w, False, table, True)]
                with self._writing():
                    return [a for y, w in weeks for a in self._read_week(y, w, True, table)]
        except OSError as error:
            raise unreadable(error, Path(error.filename) if error.filename else self.folder) from None

    def _read_week(self, year: int, week: int, may_repair: bool, table: str = "answers",
                   in_memory: bool = False) -> list[dict[str, Any]]:
        """The readable records of one table of a week; in_memory: recover a damaged file
        without writing (a read-only journal), saying so once."""
        path = self._week_path(year, week)
        try:
            tables = _read(path)
        except DamagedFile as damage:
            if in_memory:
                tables = self._recovered_in_memory(damage)
            elif may_repair:
                repair(damage, self._backups)
                tables = _read(path)
            else:
                raise
        self._check_schema(path, tables)
        records = self._skipped.good(path, table, tables.get(table, {}),
                                     lambda n: f"{n} (answer id {make_id(year, week, n)})")
        if table != "answers":
            return list(records.values())
        return [{"id": make_id(year, week, key), **record} for key, record in records.items()]

    def _recovered_in_memory(self, damage: DamagedFile) -> dict[str, Any]:
        """What repairing would put in place, for a journal that cannot write; said once."""
        tables, done = recovered(damage, self._backups)
        self._skipped.warn_once(damage.path, "damaged", "journal file %s is damaged (%s) and the data "
                                "folder is read-only: read as repairing would leave it (%s)",
                                damage.path.name, damage.reason, done)
        return tables or {}

    def _change_week(self, year: int, week: int, change: Callable[[Any], Any],
                     table: str = "answers") -> Any:
        """Apply change to one table of the week's file (caller holds the exclusive lock)."""
        path = self._week_path(year, week)
        try:
            return self._change_file(path, change, table)
        except DamagedFile as damage:
            repair(damage, self._backups)
            return self._change_file(path, change, table)

    def _drop_summaries_quoting(self, year: int, week: int) -> None:
        """Summaries of this week and the next may repeat erased words: they go too.

        (The next week's summary names the intention set in this one.) Caller holds the lock.
        """
        monday = date.fromisocalendar(year, week, 1)
        for y, w in (week_of_date(monday), week_of_date(monday + timedelta(days=7))):
            path = self._week_path(y, w)
            if path.exists() and self._read_week(y, w, True, SUMMARIES):
                self._change_week(y, w, lambda t: t.truncate(), table=SUMMARIES)
                self._backups.keep_newest_only(path)

    def _change_file(self, path: Path, change: Callable[[Any], Any], table: str = "answers") -> Any:
        db = TinyDB(path, storage=AtomicJSONStorage, after_write=self._save_backup)
        try:
            meta = db.table("meta")
            self._check_schema(path, {"meta": {str(d.doc_id): d for d in meta.all()}})
            if not meta.all():
                meta.insert({"schema": SCHEMA_VERSION})
            return change(db.table(table))
        except (TypeError, ValueError) as error:  # a record number like "x" (edited by hand)
            raise UserError(f"the journal file {path} holds a record that cannot be changed ({error}); "
                            "move that record out of the file (it is read without it)") from None
        finally:
            db.close()

    def _write_new_week(self, year: int, week: int, records: list[dict]) -> None:
        """Write a whole week file at once (migration: rerunning it gives the same file)."""
        path = self._week_path(year, week)
        tables = {"meta": {"1": {"schema": SCHEMA_VERSION}},
                  "answers": {str(n): r for n, r in enumerate(records, start=1)}}
        AtomicJSONStorage(path, after_write=self._save_backup).write(tables)

    def _save_backup(self, path: Path, raw: bytes) -> None:
        """Refresh the day's backup; the answer is durable already, so a failure here is noted
        (backup_trouble) but does not fail the write. The next write refreshes it again."""
        try:
            self._backups.save(path, raw)
        except OSError as error:
            self.backup_trouble = StorageFault.of(error, self._dir)
            log.info("the backup of %s could not be refreshed (%s)", path.name, error.strerror)

    @staticmethod
    def _check_schema(path: Path, tables: dict[str, Any]) -> None:
        meta = [m for m in tables.get("meta", {}).values() if isinstance(m, dict)]
        if meta and meta[0].get("schema") != SCHEMA_VERSION:
            raise UserError(f"the journal file {path} has schema {meta[0].get('schema')}, "
                            f"this version reads {SCHEMA_VERSION}: update the assistant")

    def _remove_records(self, table: Any, record_ids: list[int]) -> int:
        """Remove the records that exist (and their WAVs); no write when none does."""
        found = [r for r in (_record(table, n) for n in set(record_ids)) if r is not None]
        for record in found:
            if record.get("audio_file"):
                (self._dir / record["audio_file"]).unlink(missing_ok=True)
        if found:
            table.remove(doc_ids=[r.doc_id for r in found])
        return len(found)

    @staticmethod
    def _clear_audio(table: Any, record_ids: list[int]) -> None:
        present = [n for n in record_ids if table.contains(doc_id=n)]  # one may be erased meanwhile
        if present:
            table.update({"audio_file": None}, doc_ids=present)

    def _remove_stray_temp_files(self) -> None:
        """Temp files of writes a crash or a full disk interrupted: never part of the journal."""
        for stray in [*self._dir.glob(".*.tmp"), *self.folder.glob(".*.tmp"),
                      *self._backups.folder.glob("*/.*.tmp"), *(self._dir / "audio").glob(".*.tmp")]:
            stray.unlink(missing_ok=True)

    def _keep_audio(self, answer: Answer, audio: bytes) -> str:
        folder = private_dir(self._dir / "audio")
        name = f"{answer.session_id}-m{answer.moment}-{answer.question_id}.wav"
        write_private(folder / name, wav_bytes(audio))
        return f"audio/{name}"


def _read(path: Path) -> dict[str, Any]:
    """The tables of a week file; a failing read is one line naming the file."""
    try:
        return AtomicJSONStorage(path).read() or {}
    except OSError as error:
        raise unreadable(error, path) from None


def writable_or_absent(folder: Path) -> bool:
    return not folder.exists() or writable(folder)


def _record(table: Any, record_id: int) -> Any:
    """One record of a TinyDB table, or None when absent or not a record (skipped on reading)."""
    try:
        return table.get(doc_id=record_id)
    except (TypeError, ValueError):
        return None

