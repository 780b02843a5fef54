"""Daily backups of each journal file, and the repair of a damaged one from them.

Every write of a journal file also refreshes that file's backup of the day, so the newest
backup is the last durable state; older days are kept up to a count, for damage that reaches
the newest backup too. A damaged file is never overwritten: it is moved aside first.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.journal.storage import DamagedFile, decode, encode
from assistant.paths import fsync_dir, private_dir, write_private

log = logging.getLogger(__name__)


class Backups:
    """backups/<file stem>/<YYYY-MM-DD>.json, the newest `keep` days of each file."""

    def __init__(self, folder: Path, keep: int, today: Callable[[], date] = date.today,
                 create: bool = True):
        """create=False: a journal on a read-only folder reads its backups but never makes one."""
        self.folder = private_dir(folder) if create else folder
        self._keep, self._today = keep, today

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
    """Move the damaged file aside, put the newest data that can be trusted in place, say so in one line."""
    aside = move_aside(damage.path)
    tables, done = recovered(damage, backups)
    if tables is not None:
        write_private(damage.path, encode(tables))
    log.warning("journal file %s was damaged (%s): %s; the file as found is kept at %s",
                damage.path.name, damage.reason, done, aside)


def recovered(damage: DamagedFile, backups: Backups) -> tuple[dict[str, Any] | None, str]:
    """The tables to trust instead of a damaged file, and what was done, in words.

    The newest intact backup, plus the answers of the damaged file that are newer than it when
    that file still parses (it failed only its checksum: edited by hand, or a backup that could
    not be refreshed). An answer the backup holds too, but different, stays as in the backup:
    damage and a hand edit look alike, and `assistant edit` is the way to change a transcript.
    """
    found = backups.newest_good(damage.path)
    base = found[1] if found else None
    newer, changed = _newer_answers(damage.tables, base or {})
    if base is None and not newer:
        return None, "no good backup, so it starts empty"
    tables = {name: dict(table) for name, table in (base or _usable(damage.tables)).items()}
    tables.setdefault("answers", {}).update(newer)
    done = f"restored from the backup of {found[0].stem}" if found else "no good backup"
    if newer:
        done += f"{' and' if found else ', so'} kept {_answers(len(newer))} of the damaged file " \
                f"{'newer than the backup' if found else 'that could be read'}"
    if changed:
        done += f"; {_answers(changed)} changed since the backup stayed as in the backup " \
                "(change a transcript with `assistant edit ID`)"
    return tables, done


def _newer_answers(damaged: dict[str, Any] | None, base: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Readable answers of the damaged tables the base lacks, and how many others differ from it."""
    from assistant.journal.records import answer_problem

    have = base.get("answers", {})
    newer, changed = {}, 0
    for key, record in (damaged or {}).get("answers", {}).items():
        if not key.isdigit() or answer_problem(record) is not None or have.get(key) == record:
            continue
        if key in have and isinstance(have[key], dict) and have[key].get("started_at") == record["started_at"]:
            changed += 1  # the same answer, altered: damage or a hand edit
        else:
            newer[key] = record  # an answer written after the backup was made
    return newer, changed


def _usable(tables: dict[str, Any] | None) -> dict[str, Any]:
    """Meta and summaries of a damaged file without backup (answers are added one by one)."""
    from assistant.journal.tinyjournal import SCHEMA_VERSION  # (journal imports this module)

    kept = {k: v for k, v in (tables or {}).items() if k in ("meta", "summaries")}
    kept.setdefault("meta", {"1": {"schema": SCHEMA_VERSION}})
    return kept


def _answers(count: int) -> str:
    return f"{count} answer{'' if count == 1 else 's'}"


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
