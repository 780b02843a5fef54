"""Daily backups of each journal file, and the repair of a damaged one from them.

Every write of a journal file also refreshes that file's backup of the day, so the newest
backup is the last durable state; older days are kept up to a count, for damage that reaches
the newest backup too. A damaged file is never overwritten: it is moved aside first.
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from assistant.paths import fsync_dir, private_dir, write_private
from assistant.storage import DamagedFile, decode

log = logging.getLogger(__name__)


class Backups:
    """backups/<file stem>/<YYYY-MM-DD>.json, the newest `keep` days of each file."""

    def __init__(self, folder: Path, keep: int, today: Callable[[], date] = date.today):
        self.folder, self._keep, self._today = private_dir(folder), keep, today

    def save(self, path: Path, raw: bytes) -> None:
        """Make raw (already durable in path) today's backup of path, then drop the oldest."""
        own = private_dir(self.folder / path.stem)  # folder itself is private already
        write_private(own / f"{self._today().isoformat()}.json", raw)
        for old in self._days(path)[self._keep:]:
            old.unlink(missing_ok=True)

    def keep_newest_only(self, path: Path) -> None:
        """Drop all but the newest backup of path: after erasing, older days still hold the words."""
        for old in self._days(path)[1:]:
            old.unlink(missing_ok=True)

    def newest_good(self, path: Path) -> tuple[Path, dict[str, Any]] | None:
        """The newest backup of path that is intact, with its tables."""
        for backup in self._days(path):
            try:
                return backup, decode(backup, backup.read_bytes())
            except (DamagedFile, OSError):
                continue
        return None

    def _days(self, path: Path) -> list[Path]:
        """Backups of path, newest first."""
        own = self.folder / path.stem
        if not own.is_dir():
            return []
        return sorted((p for p in own.glob("????-??-??.json")), reverse=True)


def repair(damage: DamagedFile, backups: Backups) -> None:
    """Move the damaged file aside, put its newest good backup in place, say so in one line."""
    aside = move_aside(damage.path)
    found = backups.newest_good(damage.path)
    if found is None:
        log.warning("journal file %s was damaged (%s): moved aside to %s; no good backup, "
                    "so it starts empty", damage.path.name, damage.reason, aside)
        return
    backup, _ = found
    write_private(damage.path, backup.read_bytes())
    log.warning("journal file %s was damaged (%s): moved aside to %s and restored from the "
                "backup of %s", damage.path.name, damage.reason, aside, backup.stem)


def move_aside(path: Path) -> Path:
    """Rename path to <stem>.damaged-<timestamp><suffix>, private, never over another file."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.stem}.damaged-{stamp}-{n}{path.suffix}")
    os.chmod(path, 0o600)
    os.rename(path, aside)
    fsync_dir(path.parent)
    return aside
