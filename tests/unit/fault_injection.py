"""Failing I/O at the OS boundary, for the journal's files only (tests import this helper).

Like SQLite's ioerr tests: every open, write, fsync and rename on a file under one folder is
counted, and a rule decides which of them fail with which errno. The journal's code runs
unchanged; only os.open, os.write, os.fsync, os.replace, os.rename and io.open are wrapped.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Callable
from pathlib import Path

OPS = ("open", "write", "fsync", "rename")
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC

# rule(op, path, writing) -> errno to fail with, or None to let the call through
Rule = Callable[[str, str, bool], "int | None"]


class Faults:
    def __init__(self, root: Path, rule: Rule | None = None):
        self.root = str(root)
        self.rule = rule or (lambda op, path, writing: None)
        self.calls: list[tuple[str, str]] = []
        self.failed: list[tuple[str, str, int]] = []

    def install(self, monkeypatch) -> Faults:
        real = {name: getattr(os, name) for name in ("open", "write", "fsync", "replace", "rename")}
        real_io_open = io.open

        def os_open(path, flags, mode=0o777, *, dir_fd=None):
            self._check("open", path, bool(flags & WRITING))
            return real["open"](path, flags, mode, dir_fd=dir_fd)

        def os_write(fd, data):
            self._check("write", _fd_path(fd), True)
            return real["write"](fd, data)

        def os_fsync(fd):
            self._check("fsync", _fd_path(fd), True)
            return real["fsync"](fd)

        def os_replace(src, dst, **kw):
            self._check("rename", src, True)
            return real["replace"](src, dst, **kw)

        def os_rename(src, dst, **kw):
            self._check("rename", src, True)
            return real["rename"](src, dst, **kw)

        def io_open(file, mode="r", *args, **kw):
            if isinstance(file, (str, os.PathLike)):
                self._check("open", file, any(c in mode for c in "wax+"))
            return real_io_open(file, mode, *args, **kw)

        for name, fake in (("open", os_open), ("write", os_write), ("fsync", os_fsync),
                           ("replace", os_replace), ("rename", os_rename)):
            monkeypatch.setattr(os, name, fake)
        monkeypatch.setattr(io, "open", io_open)
        return self

    def _check(self, op: str, path, writing: bool) -> None:
        path = os.fspath(path)
        if not isinstance(path, str) or not path.startswith(self.root):
            return
        self.calls.append((op, path))
        code = self.rule(op, path, writing)
        if code is not None:
            self.failed.append((op, path, code))
            raise OSError(code, os.strerror(code), path)


def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def nth_call(n: int, code: int, persist: bool) -> Rule:
    """Fail the nth counted call (1-based); with persist, every call after it as well."""
    seen = [0]

    def rule(op, path, writing):
        seen[0] += 1
        return code if seen[0] == n or (persist and seen[0] > n) else None

    return rule


class Switch:
    """A disk that is full while switched on: every writing call fails with ENOSPC."""

    def __init__(self, code: int = errno.ENOSPC):
        self.on, self.code = False, code

    def __call__(self, op, path, writing):
        return self.code if self.on and writing else None
