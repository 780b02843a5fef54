"""Where things live: XDG config and data dirs, the shipped config, private file creation."""

from __future__ import annotations

import os
from itertools import takewhile
from pathlib import Path

from assistant.errors import UserError

APP = "assistant"


def shipped_config_dir() -> Path:
    """The config/ shipped with the program: inside the wheel, or the source checkout."""
    inside = Path(__file__).parent / "config"
    return inside if inside.is_dir() else Path(__file__).parent.parent / "config"


def source_models_dir() -> Path:
    return Path(__file__).parent.parent / "models"


def user_config_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / APP / "config.toml"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP


def private_dir(path: Path) -> Path:
    """A directory only its owner can enter: reflections are intimate.

    A new one is made 0700 (its missing parents too). An existing one open to others is
    tightened only when it is empty or already holds the journal; any other folder (a home
    folder, say) is left alone and refused.
    """
    try:
        made_dir(path)
        if path.stat().st_mode & 0o077:
            if any(p.name not in OWN_NAMES for p in path.iterdir()):
                raise UserError(f"{path} is open to other users and holds other files; choose an "
                                "empty folder with --data-dir, or chmod 700 it yourself")
            os.chmod(path, 0o700)
    except OSError as error:
        raise UserError(f"cannot use {path} as a private folder ({error.strerror}); choose another "
                        "with --data-dir") from None
    return path


def made_dir(path: Path) -> Path:
    """The folder, each missing part of it made 0700; an existing one is left as it is.

    mkdir(parents=True) gives the mode to the last folder only, and the umask (0755) to the
    parents: a fresh data dir would be open to every user of the machine. OSError propagates.
    """
    missing = list(takewhile(lambda folder: not folder.is_dir(), (path, *path.parents)))
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if folder.is_dir():
                continue  # made meanwhile by another process: it is theirs to keep as it is
            raise
        os.chmod(folder, 0o700)  # a umask that takes the owner's bits too
    return path


OWN_NAMES = {"journal", "journal.json", "journal.lock", "audio", "models", "backups", "voices", "voice-cache",
             "workshop", "wake_takes.json"}


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, durably and atomically.

    A write that fails (a full disk, an I/O error) removes its temp file: the old file stays
    as it was and no partial file is left behind.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)  # a stale temp file keeps its old mode otherwise
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        _remove_quietly(tmp)
        raise
    fsync_dir(path.parent)


def write_chosen(path: Path, data: bytes, *, named: str = "",
                 fix: str = "choose a folder you can write to") -> None:
    """write_private for a file the person named (--out, a page, a WAV): a failure is one line
    naming the file (as `named` says it) and the way out, never a traceback."""
    try:
        write_private(path, data)
    except OSError as error:
        raise UserError(f"cannot write {named or path} ({error.strerror}); {fix}") from None


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (a write may take only part of them)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or failing disk: the next start removes stray temp files


def writable(folder: Path) -> bool:
    """Whether this process may create files in folder (False on a read-only card or chmod a-w)."""
    return os.access(folder, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
