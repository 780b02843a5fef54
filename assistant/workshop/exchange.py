"""The file that carries dilemmas from a device to the moderator: written by
`assistant dilemmas export --format json`, read by `assistant workshop import`.

It holds the confirmed dilemmas and nothing else: the parts the teller heard read back and said
yes to (names already left out when asked), their function family and day. No transcript of a
reflection, no confidence, word timing or audio: a field the format does not name is refused on
import, so a journal export (`assistant export`) can never be merged by mistake.

Who is a participant: on a personal device, the device is one person; on a shared device
(`[dilemma] shared_device = true`) nobody's name is kept, so each dilemma's teller counts as a
participant of their own. The moderator may join two by giving them the same `participant` in the
workshop file.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from assistant.conversation.roles import Remembered
from assistant.errors import UserError
from assistant.escape import json_text
from assistant.workshop.record import NOT_TEXT, SHARED_PARTS, is_text

KIND = "assistant-dilemmas"
VERSION = 1
FIELDS = ("id", "date", "family", "participant", *SHARED_PARTS)
TOP = ("kind", "version", "device", "shared_device", "dilemmas")
MAX_BYTES = 20_000_000  # far beyond any workshop; a wrong file is refused, not read into memory


class Recorded(Protocol):
    """A recorded dilemma as the device's sheets see it (pages/workshop.py: Dilemma), read only."""

    @property
    def family(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def situation(self) -> str: ...
    @property
    def goals(self) -> str: ...
    @property
    def options(self) -> str: ...
    @property
    def last_time(self) -> str: ...
    @property
    def session_id(self) -> str: ...


@dataclass(frozen=True)
class Exported:
    """One dilemma read from an export file."""

    key: str          # device/recording: stable across re-exports and files
    source: str
    participant: str
    date: str
    family: str
    situation: str
    goals: str
    options: str
    last_time: str

    def shared(self) -> tuple[str, str, str, str]:
        return self.situation, self.goals, self.options, self.last_time


def export_json(found: Sequence[Recorded], device: str, shared_device: bool) -> str:
    """The export file's text: exact for a JSON reader, control characters escaped."""
    dilemmas = [{"id": d.session_id, "date": d.date, "family": d.family,
                 "participant": f"{device}/{d.session_id}" if shared_device else device,
                 **{part: getattr(d, part) for part in SHARED_PARTS}} for d in found]
    body = {"kind": KIND, "version": VERSION, "device": device, "shared_device": shared_device,
            "dilemmas": dilemmas}
    return json_text(json.dumps(body, ensure_ascii=False, indent=2)) + "\n"


def read_export(path: Path) -> list[Exported]:
    """The dilemmas of one export file; anything wrong with it is one line naming the file."""
    if not is_text(path.name):
        raise UserError(f"{path}: its file name is not valid UTF-8; rename it (say office.json) and "
                        "import it again")
    body = _parsed(path)
    device = body.get("device")
    if not isinstance(device, str) or not device.strip():
        raise UserError(f"{path}: damaged: 'device' is missing")
    if not is_text(device):
        raise UserError(f"{path}: device: {NOT_TEXT}; export it again on its device")
    items = body.get("dilemmas")
    if not isinstance(items, list):
        raise UserError(f"{path}: damaged: 'dilemmas' is not a list")
    return [_dilemma(path, device.strip(), n, item) for n, item in enumerate(items, start=1)]


def _parsed(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UserError(f"{path}: too large for a dilemmas export")
        body = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: damaged: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UserError(f"{path}: damaged: not valid JSON (line {error.lineno}, column {error.colno}); "
                        "export it again on its device") from None
    if isinstance(body, list):
        raise UserError(f"{path}: this is a journal export (`assistant export`), not a dilemmas export; "
                        "on the device run `assistant dilemmas export --format json`")
    if not isinstance(body, dict) or body.get("kind") != KIND:
        raise UserError(f"{path}: not a dilemmas export; on the device run "
                        "`assistant dilemmas export --format json`")
    if body.get("version") != VERSION:
        raise UserError(f"{path}: dilemmas export version {body.get('version')!r}; this assistant reads "
                        f"version {VERSION}: update the assistant on this machine")
    unknown = sorted(set(body) - set(TOP))
    if unknown:
        raise UserError(f"{path}: damaged: unknown field {unknown[0]!r} (an export holds only dilemmas)")
    return body


def _dilemma(path: Path, device: str, number: int, item: Any) -> Exported:
    where = f"{path}: dilemma {number}"
    if not isinstance(item, dict):
        raise UserError(f"{where}: damaged: not a table of fields")
    unknown = sorted(set(item) - set(FIELDS))
    if unknown:
        raise UserError(f"{where}: unknown field {unknown[0]!r} (an export holds only the shared parts: "
                        f"{', '.join(FIELDS)})")
    for name in FIELDS:
        if not isinstance(item.get(name), str):
            raise UserError(f"{where}: {name}: missing, or not a text")
        if not is_text(item[name]):
            raise UserError(f"{where}: {name}: {NOT_TEXT}; export it again on its device")
    if not item["id"].strip():
        raise UserError(f"{where}: id: empty")
    try:
        date.fromisoformat(item["date"].strip())
    except ValueError:
        raise UserError(f"{where}: date: {item['date']!r} is not a day like 2026-11-16") from None
    return Exported(key=f"{device}/{item['id'].strip()}", source=path.name,
                    participant=item["participant"].strip() or device, date=item["date"].strip(),
                    family=item["family"].strip().lower() or "-", situation=item["situation"],
                    goals=item["goals"], options=item["options"], last_time=item["last_time"])


DEVICE_KEY = "workshop_device"


def device_id(remembered: Remembered) -> str:
    """This device's id in its exports: random, made once and remembered (profile.json), so a
    re-export names the same dilemmas the same way and a moderator's re-import adds none twice.
    It says nothing about the person or the machine."""
    known = remembered.get(DEVICE_KEY)
    if known:
        return known
    made = secrets.token_hex(4)
    try:
        remembered.set(DEVICE_KEY, made)
    except OSError as error:
        raise UserError(f"cannot keep this device's export id ({error.strerror}); free space or make "
                        "the data folder writable, and export again") from None
    return made
