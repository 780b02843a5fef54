"""What the device remembers about the person beyond answers: asked once, not every time.

Kept in profile.json in the private data dir (0600); `assistant forget --all` erases it too.

A missing profile is nothing remembered yet. One that is there but cannot be read (a damaged
card, an edit gone wrong, `[]`) is never taken for missing: it may hold this device's export
id, and a new one would make a moderator count every dilemma of this device twice. So `Profile`
refuses in one line, naming the file, and never writes over it; `ProfileMemory` is what the
dilemma recorder gets, where the recording matters more than the family it would remember.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from assistant.errors import UserError
from assistant.paths import private_dir, write_private

FILE = "profile.json"
log = logging.getLogger(__name__)
ADVICE = ("it may hold this device's export id, so it is left as it is: repair it in an editor "
          '(a JSON object like {"workshop_device": "1a2b3c4d"}), or move it away to start afresh '
          "(a moderator then imports this device's dilemmas as new ones)")


class ProfileUnreadable(UserError):
    """profile.json is there but not a JSON object of texts: nothing may be read or written over."""


class Profile:
    def __init__(self, data_dir: Path) -> None:
        self._path = Path(data_dir) / FILE

    def get(self, key: str) -> str | None:
        """What is remembered under key; None when nothing is (yet). ProfileUnreadable when the
        file cannot be read."""
        return self._known().get(key)

    def set(self, key: str, value: str) -> None:
        """Remember value under key, keeping the rest; an unreadable file is left as it is."""
        known = self._known()
        known[key] = value
        private_dir(self._path.parent)
        write_private(self._path, json.dumps(known, ensure_ascii=False, indent=2).encode("utf-8"))

    def erase(self) -> None:
        self._path.unlink(missing_ok=True)

    def _known(self) -> dict[str, str]:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise ProfileUnreadable(f"{self._path}: cannot read it ({error.strerror}); {ADVICE}") from None
        except UnicodeDecodeError:
            raise self._damaged("not UTF-8 text") from None
        try:
            known: Any = json.loads(text)
        except ValueError:
            raise self._damaged("not valid JSON") from None
        if not isinstance(known, dict) or not all(isinstance(v, str) for v in known.values()):
            raise self._damaged("not a JSON object of texts")
        return known

    def _damaged(self, why: str) -> ProfileUnreadable:
        return ProfileUnreadable(f"{self._path}: damaged ({why}); {ADVICE}")


class ProfileMemory:
    """The profile as the dilemma recorder remembers the function family (the Remembered role).

    An unreadable profile must not stop a recording, and must not be written over: its family
    counts as not remembered (so it is asked), nothing is written, and the log names the file
    to repair."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    def get(self, key: str) -> str | None:
        try:
            return self._profile.get(key)
        except ProfileUnreadable as error:
            log.warning("%s; until then it is asked each time", error)
            return None

    def set(self, key: str, value: str) -> None:
        try:
            self._profile.set(key, value)
        except ProfileUnreadable as error:
            log.warning("%s; %s is not remembered", error, key.replace("_", " "))
