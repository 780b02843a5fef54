"""Files the journal trusts: atomic, checksummed JSON for TinyDB, and a lock shared by processes.

A write goes to a temp file that is fsynced and renamed over the old one (then the folder is
fsynced), so a crash leaves the old or the new file, never half of one. Each file carries the
SHA-256 of its tables, so damage from outside (a bad SD card, a stray write) is noticed on read
instead of being read as truth and written back.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from assistant.errors import UserError
from assistant.paths import write_private

CHECKSUM_KEY = "sha256"


class DamagedFile(Exception):
    """A journal file that cannot be trusted: unreadable, truncated, or failing its checksum."""

    def __init__(self, path: Path, reason: str, tables: dict[str, Any] | None = None):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason
        self.tables = tables  # the file's tables when it still parses (edited by hand, say)


def encode(tables: dict[str, Any]) -> bytes:
    """The file's bytes: the tables plus the checksum of their canonical JSON."""
    body = _canonical(tables)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return (body[:-1] + ("," if tables else "") + f'"{CHECKSUM_KEY}":"{digest}"}}').encode("utf-8")


def decode(path: Path, raw: bytes) -> dict[str, Any]:
    """The tables of a file's bytes; DamagedFile unless they parse and match their checksum."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DamagedFile(path, f"not readable JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for k, t in data.items() if k != CHECKSUM_KEY):
        raise DamagedFile(path, "not a table of records")
    expected = data.pop(CHECKSUM_KEY, None)
    if not isinstance(expected, str):
        raise DamagedFile(path, "no checksum", data)
    if hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest() != expected:
        raise DamagedFile(path, "checksum mismatch", data)
    return data


def _canonical(tables: dict[str, Any]) -> str:
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":"))


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file and refuses to read a damaged one.

    after_write, when given, is called with the bytes just made durable (the journal keeps its
    backups with it).
    """

    def __init__(self, path: str | Path, after_write: Callable[[Path, bytes], None] | None = None):
        self._path = Path(path)
        self._after_write = after_write

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return None
        return decode(self._path, raw)

    def write(self, data: dict[str, Any]) -> None:
        raw = encode(data)
        write_private(self._path, raw)
        if self._after_write:
            self._after_write(self._path, raw)

    def close(self) -> None:
        pass


class FileLock:
    """flock on one file: shared for readers, exclusive for writers, across processes.

    The lock dies with its process, so a killed writer never leaves the journal locked. A reader
    on a read-only folder (a card remounted read-only, chmod a-w) takes the shared lock on the
    file opened read-only, or, when the file cannot be made there, reads unlocked: nobody can
    write through such a folder, so there is no writer to wait for.
    """

    def __init__(self, path: Path):
        self._path = path

    @contextmanager
    def shared(self) -> Iterator[None]:
        fd: int | None
        try:
            fd = self._open()
        except OSError as error:
            if error.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            fd = self._open_read_only()
        with self._held(fd, fcntl.LOCK_SH):
            yield

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._held(self._open(), fcntl.LOCK_EX):
            yield

    def _open(self) -> int:
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except IsADirectoryError:
            raise UserError(f"the lock file {self._path} is a folder; remove it "
                            f"(rmdir {self._path}) and try again") from None
        try:
            os.fchmod(fd, 0o600)
        except OSError:
            os.close(fd)
            raise
        return fd

    def _open_read_only(self) -> int | None:
        try:
            return os.open(self._path, os.O_RDONLY)
        except FileNotFoundError:
            return None

    @contextmanager
    def _held(self, fd: int | None, kind: int) -> Iterator[None]:
        if fd is None:
            yield
            return
        try:
            fcntl.flock(fd, kind)
            yield
        finally:
            os.close(fd)  # closing releases the lock
