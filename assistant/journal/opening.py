"""Opening a journal's data dir: for writing when it can be written, else for reading.

A card mounted read-only, or a copy of someone's folder, must still open for `assistant export`
and `assistant report`, so such a folder is opened read-only instead of refused. A writable one
is made private and tidied first: temp files a crash left go, an old journal.json is migrated,
and the newest week (where a crash most likely struck) is checked and repaired.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from assistant.errors import UserError
from assistant.faults import unreadable
from assistant.journal.backups import Backups
from assistant.journal.keptaudio import AUDIO
from assistant.journal.migrate import LEGACY_FILE, migrate_legacy
from assistant.journal.storage import FileLock
from assistant.journal.weekfiles import WeekFiles
from assistant.paths import private_dir, writable
from assistant.weeks import week_files

FOLDER = "journal"
LOCK_FILE = "journal.lock"


def open_week_files(data_dir: Path, backups: int, today: Callable[[], date]) -> WeekFiles:
    """The week files of data_dir; a folder that cannot be read is one line, no traceback."""
    try:
        if data_dir.is_dir() and not (writable(data_dir) and writable_or_absent(data_dir / FOLDER)):
            return _read_only(data_dir, backups, today)
        return _writable(data_dir, backups, today)
    except OSError as error:  # another user's folder, a card that fails to read
        raise unreadable(error, data_dir) from None


def _read_only(data_dir: Path, backups: int, today: Callable[[], date]) -> WeekFiles:
    folder = data_dir / FOLDER
    if not folder.is_dir() and (data_dir / LEGACY_FILE).exists():
        raise UserError(f"the journal in {data_dir} is of an older version and the folder is "
                        "read-only: copy the folder to a writable disk and use it with --data-dir")
    return WeekFiles(data_dir, folder, FileLock(data_dir / LOCK_FILE),
                     Backups(folder / "backups", backups, today, create=False), read_only=True)


def _writable(data_dir: Path, backups: int, today: Callable[[], date]) -> WeekFiles:
    """Private, tidied, migrated, the newest week checked (damage is likeliest where writing
    happened last)."""
    data_dir = private_dir(data_dir)
    folder = private_dir(data_dir / FOLDER)
    files = WeekFiles(data_dir, folder, FileLock(data_dir / LOCK_FILE),
                      Backups(folder / "backups", backups, today), False)
    with files.writing():
        _remove_stray_temp_files(data_dir, files)
        migrate_legacy(data_dir / LEGACY_FILE, files.write_new_week, files.backups.folder)
        for year, week, _ in week_files(folder)[-1:]:
            files.read_week(year, week, may_repair=True)
    return files


def _remove_stray_temp_files(data_dir: Path, files: WeekFiles) -> None:
    """Temp files of writes a crash or a full disk interrupted: never part of the journal."""
    for stray in [*data_dir.glob(".*.tmp"), *files.folder.glob(".*.tmp"),
                  *files.backups.folder.glob("*/.*.tmp"), *(data_dir / AUDIO).glob(".*.tmp")]:
        stray.unlink(missing_ok=True)


def writable_or_absent(folder: Path) -> bool:
    return not folder.exists() or writable(folder)
