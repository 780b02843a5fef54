"""Rendered fixed phrases on disk, so the first question after boot is instant on a Pi.

Only the pack's fixed phrases are kept (never a text holding the person's words: a summary or a
read-back stays in memory). One folder per key (engine, voice, its settings), so changing any of
them leaves the old folder stale; stale folders and phrases no longer in the pack are pruned.
Each file carries a CRC of its audio: a damaged one (a failing SD card) is rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import zlib
from collections.abc import Iterable
from pathlib import Path

from assistant import paths
from assistant.errors import UserError

log = logging.getLogger(__name__)

VERSION = "1"  # bump when the rendering itself changes
MAGIC = b"APCM"


def _hash(text: str, size: int = 24) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


class RenderCache:
    def __init__(self, folder: Path, key: str, keep: Iterable[str]):
        self._root = folder
        self._dir = folder / _hash(f"{VERSION}|{key}", 16)
        self._keep = {text: self._dir / f"{_hash(text)}.pcm" for text in keep}
        self._broken = False

    def keeps(self, text: str) -> bool:
        return text in self._keep

    def get(self, text: str) -> bytes | None:
        """The stored audio of a fixed phrase, or None (not stored, unreadable or damaged)."""
        file = self._keep.get(text)
        if file is None:
            return None
        try:
            data = file.read_bytes()
        except OSError:
            return None
        crc, pcm = data[4:8], data[8:]
        if data[:4] != MAGIC or zlib.crc32(pcm).to_bytes(4, "little") != crc:
            log.info("rendered prompt %s is damaged; rendering it again", file.name)
            return None
        return pcm

    def put(self, text: str, pcm: bytes) -> None:
        """Store a fixed phrase's audio (0600, atomically); a full or read-only disk only costs speed."""
        file = self._keep.get(text)
        if file is None or self._broken or not pcm:
            return
        try:
            paths.private_dir(self._root)
            paths.private_dir(self._dir)
            paths.write_private(file, MAGIC + zlib.crc32(pcm).to_bytes(4, "little") + pcm)
        except (OSError, UserError) as error:
            self._broken = True  # said once, then the cache is simply not used
            log.warning("not keeping rendered prompts in %s (%s)", self._root, error)

    def prune(self) -> None:
        """Remove folders of other keys (stale settings) and phrases the pack no longer has."""
        if not self._root.is_dir():
            return
        wanted = {file.name for file in self._keep.values()}
        try:
            for entry in self._root.iterdir():
                if entry.is_dir() and entry != self._dir:
                    shutil.rmtree(entry, ignore_errors=True)
                elif entry == self._dir:
                    for file in entry.iterdir():
                        if file.name not in wanted:
                            file.unlink(missing_ok=True)
        except OSError as error:
            log.info("could not prune %s (%s)", self._root, error)
