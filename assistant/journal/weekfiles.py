"""The journal's week files on disk: read under a shared lock, changed under an exclusive one.

This is the half of the journal that knows files and not answers: one checksummed TinyDB file
per ISO week (storage.py), the flock that lets a session and `assistant export` share them, the
repair of a damaged file from its backups (backups.py), and the schema check. Records here are
the raw dicts of a file; tinyjournal.py turns them into answers (records.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB
from tinydb.table import Table

from assistant.errors import UserError
from assistant.faults import READ_ONLY, StorageFault, unreadable
from assistant.journal.backups import Backups, recovered, repair
from assistant.journal.records import SkippedRecords
from assistant.journal.storage import AtomicJSONStorage, DamagedFile, FileLock
from assistant.weeks import make_id, week_name

SCHEMA_VERSION = 2
ANSWERS = "answers"      # table of a week file: its answers
SUMMARIES = "summaries"  # table of a week file: the summary last composed of that week
log = logging.getLogger("assistant.journal")

Records = list[tuple[int, dict[str, Any]]]  # (id, raw record): answer ids in the answers table
T = TypeVar("T")


class WeekFiles:
    """The week files of one journal folder; data_dir is where faults are said to be."""

    def __init__(self, data_dir: Path, folder: Path, lock: FileLock, backups: Backups, read_only: bool):
        self.data_dir, self.folder, self.read_only = data_dir, folder, read_only
        self.backups = backups
        self.backup_trouble: StorageFault | None = None  # a daily backup that could not be refreshed
        self._lock = lock
        self._skipped = SkippedRecords()

    def path(self, year: int, week: int) -> Path:
        return self.folder / f"{week_name(year, week)}.json"

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The exclusive lock for a change; any OSError of the change becomes one StorageFault."""
        if self.read_only:
            raise StorageFault(READ_ONLY, self.data_dir, "read-only")
        try:
            with self._lock.exclusive():
                yield
        except OSError as error:
            raise StorageFault.of(error, self.data_dir) from None

    def read(self, weeks: list[tuple[int, int]], table: str = ANSWERS) -> Records:
        """Read under a shared lock; on damage, retry under the exclusive lock that may repair.

        A read-only journal cannot repair: it reads what repairing would have put in place.
        """
        try:
            try:
                with self._lock.shared():
                    return [a for y, w in weeks for a in self.read_week(y, w, False, table)]
            except DamagedFile:
                if self.read_only:
                    with self._lock.shared():
                        return [a for y, w in weeks for a in self.read_week(y, w, False, table, True)]
                with self.writing():
                    return [a for y, w in weeks for a in self.read_week(y, w, True, table)]
        except OSError as error:
            raise unreadable(error, Path(error.filename) if error.filename else self.folder) from None

    def read_week(self, year: int, week: int, may_repair: bool, table: str = ANSWERS,
                  in_memory: bool = False) -> Records:
        """The readable records of one table of a week (caller holds a lock); in_memory: recover
        a damaged file without writing (a read-only journal), saying so once."""
        path = self.path(year, week)
        try:
            tables = _read(path)
        except DamagedFile as damage:
            if in_memory:
                tables = self._recovered_in_memory(damage)
            elif may_repair:
                repair(damage, self.backups)
                tables = _read(path)
            else:
                raise
        check_schema(path, tables)
        records = self._skipped.good(path, table, tables.get(table, {}),
                                     lambda n: f"{n} (answer id {make_id(year, week, n)})")
        return [(make_id(year, week, key), record) for key, record in records.items()]

    def _recovered_in_memory(self, damage: DamagedFile) -> dict[str, Any]:
        """What repairing would put in place, for a journal that cannot write; said once."""
        tables, done = recovered(damage, self.backups)
        self._skipped.warn_once(damage.path, "damaged", "journal file %s is damaged (%s) and the data "
                                "folder is read-only: read as repairing would leave it (%s)",
                                damage.path.name, damage.reason, done)
        return tables or {}

    def change(self, year: int, week: int, change: Callable[[Table], T], table: str = ANSWERS) -> T:
        """Apply change to one TinyDB table of the week's file (caller holds the exclusive lock)."""
        path = self.path(year, week)
        try:
            return self._change_file(path, change, table)
        except DamagedFile as damage:
            repair(damage, self.backups)
            return self._change_file(path, change, table)

    def _change_file(self, path: Path, change: Callable[[Table], T], table: str) -> T:
        db = TinyDB(path, storage=AtomicJSONStorage, after_write=self._save_backup)
        try:
            meta = db.table("meta")
            check_schema(path, {"meta": {str(d.doc_id): d for d in meta.all()}})
            if not meta.all():
                meta.insert({"schema": SCHEMA_VERSION})
            return change(db.table(table))
        except (TypeError, ValueError) as error:  # a record number like "x" (edited by hand)
            raise UserError(f"the journal file {path} holds a record that cannot be changed ({error}); "
                            "move that record out of the file (it is read without it)") from None
        finally:
            db.close()

    def write_new_week(self, year: int, week: int, records: list[dict[str, Any]]) -> None:
        """Write a whole week file at once (migration: rerunning it gives the same file)."""
        tables = {"meta": {"1": {"schema": SCHEMA_VERSION}},
                  ANSWERS: {str(n): r for n, r in enumerate(records, start=1)}}
        AtomicJSONStorage(self.path(year, week), after_write=self._save_backup).write(tables)

    def _save_backup(self, path: Path, raw: bytes) -> None:
        """Refresh the day's backup; the answer is durable already, so a failure here is noted
        (backup_trouble) but does not fail the write. The next write refreshes it again."""
        try:
            self.backups.save(path, raw)
        except OSError as error:
            self.backup_trouble = StorageFault.of(error, self.data_dir)
            log.info("the backup of %s could not be refreshed (%s)", path.name, error.strerror)


def check_schema(path: Path, tables: dict[str, Any]) -> None:
    meta = [m for m in tables.get("meta", {}).values() if isinstance(m, dict)]
    if meta and meta[0].get("schema") != SCHEMA_VERSION:
        raise UserError(f"the journal file {path} has schema {meta[0].get('schema')}, "
                        f"this version reads {SCHEMA_VERSION}: update the assistant")


def _read(path: Path) -> dict[str, Any]:
    """The tables of a week file; a failing read is one line naming the file."""
    try:
        return AtomicJSONStorage(path).read() or {}
    except OSError as error:
        raise unreadable(error, path) from None
