"""Which journal a command opens, from config: the one place a TinyJournal is built.

Reading commands (export, list, edit, report, play, forget) must never create a journal: a typo
in --data-dir would otherwise leave an empty journal behind and report "nothing stored". A
session's journal is patient (answers a failing card refuses are held, see pending.py), and a
read-only data folder is said before the first question, not after the first answer.

This sits beside the journal, not in the wiring of speech parts (parts.py), so a command that
only reads or erases answers (forget.py) needs no microphone, speaker or model code.
"""

from __future__ import annotations

from pathlib import Path

from assistant.config import Config
from assistant.errors import UserError
from assistant.faults import READ_ONLY, StorageFault, unreadable
from assistant.journal.pending import PatientJournal
from assistant.journal.tinyjournal import TinyJournal


def writable_journal(config: Config) -> PatientJournal:
    """The journal for a session; a read-only data folder is said before the first question."""
    journal = _journal(config)
    if journal.read_only:
        raise StorageFault(READ_ONLY, config.data_dir, "read-only")
    return PatientJournal(journal)


def service_journal(config: Config) -> PatientJournal:
    """The service's journal: created when missing, and patient across all its conversations."""
    return PatientJournal(_journal(config))


def open_existing_journal(config: Config) -> TinyJournal | None:
    """The journal, or None when nothing is stored: reading must not create one (or a typo'd folder)."""
    if not journal_exists(config.data_dir):
        return None
    return _journal(config)


def existing_journal(config: Config) -> TinyJournal:
    """The journal for a reading command; a folder without one (a typo in --data-dir) is said,
    never created."""
    if not journal_exists(config.data_dir):
        raise UserError(f"no journal at {config.data_dir}; check --data-dir (or ASSISTANT_DATA_DIR), "
                        "or keep a first answer with `assistant reflect`")
    return _journal(config)


def journal_exists(data_dir: Path) -> bool:
    try:
        return any((data_dir / name).exists() for name in ("journal", "journal.json"))
    except OSError as error:  # another user's folder: not even its contents can be looked at
        raise unreadable(error, data_dir) from None


def _journal(config: Config) -> TinyJournal:
    return TinyJournal(config.data_dir, backups=config.journal.backups)
