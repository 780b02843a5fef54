"""What a failing disk means to the person: a full card, a read-only card, a failing one.

The journal turns every OSError of its own files into a StorageFault, whose message is one line
saying what is wrong and what to do; the session adds how many of its answers are kept.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from assistant.errors import UserError

FULL, READ_ONLY, FAILING, DENIED = "full", "read-only", "failing", "denied"
_KINDS: dict[int | None, str] = {errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EFBIG: FULL,
          errno.EROFS: READ_ONLY, errno.EACCES: READ_ONLY, errno.EPERM: READ_ONLY}


class StorageFault(UserError):
    """Writing the journal failed; nothing half-written is left and the old files are intact."""

    def __init__(self, kind: str, folder: Path, reason: str, message: str = ""):
        super().__init__(message or f"{problem(kind, folder, reason)}: nothing was changed; "
                                    f"{remedy(kind, folder)}")
        self.kind, self.folder, self.reason = kind, folder, reason

    @classmethod
    def of(cls, error: OSError, folder: Path) -> StorageFault:
        return cls(_KINDS.get(error.errno, FAILING), folder, error.strerror or str(error))

    def session_line(self, kept: int, lost: int, command: str) -> str:
        """The one line after a session that could not write everything."""
        answers = f"{kept} answer{'' if kept == 1 else 's'} of this session {'is' if kept == 1 else 'are'} kept"
        if lost:
            answers += f", {lost} could not be written"
        return f"{problem(self.kind, self.folder, self.reason)}: {answers}; " \
               f"{remedy(self.kind, self.folder)} and run `{command}` again"


def problem(kind: str, folder: Path, reason: str) -> str:
    if kind == FULL:
        return "the disk is full"
    if kind == READ_ONLY:
        return f"the data folder {folder} is read-only"
    if kind == DENIED:
        return f"{folder} cannot be used ({reason})"
    return f"{folder} could not be read or written ({reason})"


def remedy(kind: str, folder: Path) -> str:
    if kind == FULL:
        return f"free space on the disk of {folder} (df -h {folder})"
    if kind == READ_ONLY:
        return ("make it writable (a card the system remounted read-only may be failing: "
                "`assistant export` still reads it)")
    return "the card may be failing: copy your answers with `assistant export`"


def unreadable(error: OSError, path: Path) -> StorageFault:
    """Reading failed: another user's folder, or a failing card (one line, with the fix)."""
    reason = error.strerror or str(error)
    if error.errno in (errno.EACCES, errno.EPERM):
        owner = _owner(path)
        if owner is not None and owner != os.geteuid():
            return StorageFault(DENIED, path, reason, f"{path} belongs to another user (uid {owner}); "
                                "run as that user, or choose your own folder with --data-dir")
        return StorageFault(DENIED, path, reason, f"cannot read {path} ({reason}); chmod u+rwx it, "
                            "or choose another folder with --data-dir")
    return StorageFault(FAILING, path, reason, f"cannot read {path} ({reason}); the card may be "
                        "failing: copy the data folder to another disk and use it with --data-dir")


def _owner(path: Path) -> int | None:
    for candidate in (path, *path.parents):
        try:
            return candidate.stat().st_uid
        except OSError:
            continue
    return None
