"""Schema 1 (every answer in one journal.json) to schema 2 (one file per ISO week), on open.

Week files are written whole from the old file, so a migration cut short by a crash simply
runs again on the next open; only when every week is durable is journal.json moved into
journal/backups/ as journal-schema1.json (a copy you may delete once you trust the new files).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.paths import fsync_dir, private_dir
from assistant.weeks import by_week, week_of

LEGACY_FILE = "journal.json"
LEGACY_SCHEMA = 1
log = logging.getLogger(__name__)


def migrate_legacy(legacy: Path, write_week: Callable[[int, int, list[dict[str, Any]]], None],
                   backups: Path) -> None:
    """Move the answers of a schema 1 journal.json into week files, oldest id first."""
    if not legacy.exists():
        return
    tables = _read_legacy(legacy)
    answers = tables.get("answers", {})
    oldest_first = [answers[key] for key in sorted(answers, key=int)]
    for year, week, records in by_week(oldest_first, lambda record: week_of(record["started_at"])):
        write_week(year, week, records)
    kept = private_dir(backups) / "journal-schema1.json"
    os.chmod(legacy, 0o600)
    os.replace(legacy, kept)
    fsync_dir(legacy.parent)
    fsync_dir(kept.parent)
    log.info("journal: moved %d answers from %s into week files", len(answers), legacy.name)


def _read_legacy(legacy: Path) -> dict[str, Any]:
    """The old file's tables; damage or another schema stops the open, leaving it untouched."""
    text = legacy.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        return {}
    try:
        tables: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(f"the old journal {legacy} is damaged ({error.msg} at line {error.lineno}); "
                        "it was left untouched: move it aside to start a new one") from None
    meta = list(tables.get("meta", {}).values())
    if meta and meta[0].get("schema") != LEGACY_SCHEMA:
        raise UserError(f"the old journal {legacy} has schema {meta[0].get('schema')}, "
                        f"this version migrates schema {LEGACY_SCHEMA}: update the assistant")
    return tables
