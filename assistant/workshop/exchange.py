"""The file that carries dilemmas from a device to the moderator: written by
`assistant dilemmas export --format json`, read by `assistant workshop import`.

It holds the confirmed dilemmas and nothing else: the parts the teller heard read back and said
yes to (names already left out when asked), their function family and day. No transcript of a
reflection, no confidence, word timing or audio: a field the format does not name is refused on
import, so a journal export (`assistant export`) can never be merged by mistake.

Who is a participant: on a personal device, the device is one person; on a shared device
(`[dilemma] shared_device = true`) nobody's name is kept, so each dilemma's teller counts as a
participant of their own, named by the dilemma's opaque id (ExportKeys). The moderator may
join two by giving them the same `participant` in the workshop file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Sequence
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


@dataclass(frozen=True)
class ExportKeys:
    """What names this device's dilemmas in its exports, the same in every export.

    A recording's session id (20261102-091500-a1f3) holds the minute it was told: the export
    promises the day only. So a dilemma is named by an HMAC of its session id with a secret that
    never leaves the device: stable, so a re-import adds nothing twice, and saying nothing about
    when (or, on a shared device, in what order of the day) anyone spoke."""

    device: str
    secret: str

    def dilemma_id(self, session_id: str) -> str:
        digest = hmac.new(self.secret.encode("utf-8"), session_id.encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:ID_LENGTH]


def export_json(found: Sequence[Recorded], keys: ExportKeys, shared_device: bool) -> str:
    """The export file's text: exact for a JSON reader, control characters escaped."""
    device = keys.device
    dilemmas = []
    for d in found:
        named = keys.dilemma_id(d.session_id)
        dilemmas.append({"id": named, "date": d.date, "family": d.family,
                         "participant": f"{device}/{named}" if shared_device else device,
                         **{part: getattr(d, part) for part in SHARED_PARTS}})
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


DEVICE_KEY, SECRET_KEY = "workshop_device", "workshop_secret"
ID_LENGTH = 16  # hex digits of the HMAC: 64 bits, no two of one device's dilemmas alike


def export_keys(remembered: Remembered) -> ExportKeys:
    """This device's id and secret for its exports: random, made once and remembered
    (profile.json), so a re-export names the same dilemmas the same way and a moderator's
    re-import adds none twice. They say nothing about the person or the machine."""
    return ExportKeys(_kept(remembered, DEVICE_KEY, lambda: secrets.token_hex(4)),
                      _kept(remembered, SECRET_KEY, lambda: secrets.token_hex(32)))


def _kept(remembered: Remembered, key: str, made: Callable[[], str]) -> str:
    known = remembered.get(key)
    if known:
        return known
    value = made()
    try:
        remembered.set(key, value)
    except OSError as error:
        raise UserError(f"cannot keep this device's export id ({error.strerror}); free space or make "
                        "the data folder writable, and export again") from None
    return value
