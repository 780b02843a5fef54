"""What the device remembers about the person beyond answers: asked once, not every time.

Kept in profile.json in the private data dir (0600); `assistant forget --all` erases it too.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.paths import private_dir, write_private

FILE = "profile.json"


class Profile:
    def __init__(self, data_dir: Path) -> None:
        self._path = Path(data_dir) / FILE

    def get(self, key: str) -> str | None:
        try:
            value: str | None = json.loads(self._path.read_text(encoding="utf-8")).get(key)  # set() keeps texts
        except (OSError, ValueError, AttributeError):
            return None  # none yet, or unreadable: asking again loses nothing
        return value

    def set(self, key: str, value: str) -> None:
        try:
            known = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        known[key] = value
        private_dir(self._path.parent)
        write_private(self._path, json.dumps(known, ensure_ascii=False, indent=2).encode("utf-8"))

    def erase(self) -> None:
        self._path.unlink(missing_ok=True)
