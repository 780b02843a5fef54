"""The moderator's workshop file: TOML that the moderator may edit by hand, and that every
`assistant workshop` command reads back and writes (private, atomically, like the journal).

TOML because it is plain text a moderator can open in any editor to write the three scenarios;
every complaint on reading names the file, the dilemma and the field, in one line. Each dilemma
keeps where it came from (key, source, participant), so a re-import adds nothing twice.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, TypeGuard

from assistant.errors import UserError
from assistant.paths import made_dir, private_dir, write_chosen
from assistant.workshop.record import NOT_TEXT, SCENARIOS, SHARED_PARTS, Consensus, WorkshopDilemma

FILE = "workshop.toml"
VERSION = 1
TEXTS = ("key", "source", "participant", "date", "family", *SHARED_PARTS)
SCENARIO_FIELDS = tuple(f"scenario_{n}" for n in SCENARIOS)
FIELDS = ("id", *TEXTS, *SCENARIO_FIELDS, "session", "consensus", "agreed")
HEADER = """\
# The moderator's file of the "kleine keuzes" workshop, kept by `assistant workshop`.
# Write the three scenarios of each dilemma here (scenario_3: the one in line with the strategy),
# or with `assistant workshop scenario ID N "..."`. Outcomes: `assistant workshop decide`.
# key, source, participant and date say where a dilemma came from: leave them as they are
# (give two dilemmas the same participant when one person told both).
"""


def default_file(data_dir: Path) -> Path:
    return Path(data_dir) / "workshop" / FILE


def load(path: Path) -> list[WorkshopDilemma]:
    """The dilemmas of the file; none when it does not exist yet."""
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: not valid TOML ({error}); fix it in an editor") from None
    unknown = sorted(set(data) - {"version", "dilemma"})
    if unknown:
        raise UserError(f"{path}: unknown key {unknown[0]!r}; a workshop file holds version and [[dilemma]]")
    if data.get("version", VERSION) != VERSION:
        raise UserError(f"{path}: version {data['version']!r}; this assistant reads version {VERSION}")
    entries = data.get("dilemma", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UserError(f"{path}: dilemma: expected [[dilemma]] tables")
    found = [_dilemma(path, n, entry) for n, entry in enumerate(entries, start=1)]
    _unique(path, found)
    return found


def _dilemma(path: Path, position: int, entry: dict[str, Any]) -> WorkshopDilemma:
    number = entry.get("id")
    if not _whole(number) or number < 1:
        raise UserError(f"{path}: dilemma number {position} in the file: id: expected a whole number "
                        f"from 1, got {number!r}")
    where = f"{path}: dilemma {number}"
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise UserError(f"{where}: unknown field {unknown[0]!r}; known: {', '.join(FIELDS)}")
    for name in (*TEXTS, *SCENARIO_FIELDS):
        if not isinstance(entry.get(name, ""), str):
            raise UserError(f"{where}: {name}: expected a text in quotes, got {entry[name]!r}")
    if not entry.get("key", "").strip():
        raise UserError(f"{where}: key: missing; it says where the dilemma came from")
    session = entry.get("session", 0)
    if not _whole(session) or session < 0:
        raise UserError(f"{where}: session: expected a whole number (0: not planned), got {session!r}")
    consensus, agreed = _outcome(where, entry)
    return WorkshopDilemma(id=number, **{name: entry.get(name, "") for name in TEXTS}, session=session,
                           consensus=consensus, agreed=agreed,
                           scenarios=(entry.get("scenario_1", ""), entry.get("scenario_2", ""),
                                      entry.get("scenario_3", "")))


def _outcome(where: str, entry: dict[str, Any]) -> tuple[Consensus, int]:
    try:
        consensus = Consensus(entry.get("consensus", ""))
    except ValueError:
        raise UserError(f'{where}: consensus: expected "yes", "no" or "", got {entry["consensus"]!r}') from None
    agreed = entry.get("agreed", 0)
    wanted = SCENARIOS if consensus is Consensus.YES else (0,)
    if not _whole(agreed) or agreed not in wanted:
        expected = "1, 2 or 3 (with consensus yes)" if consensus is Consensus.YES else "0 (without consensus yes)"
        raise UserError(f"{where}: agreed: expected {expected}, got {agreed!r}")
    return consensus, agreed


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _unique(path: Path, found: list[WorkshopDilemma]) -> None:
    ids: set[int] = set()
    keys: dict[str, int] = {}
    for d in found:
        if d.id in ids:
            raise UserError(f"{path}: dilemma {d.id}: id: used twice; give one of them another number")
        if d.key in keys:
            raise UserError(f"{path}: dilemma {d.id}: key: the same dilemma as dilemma {keys[d.key]}")
        ids.add(d.id)
        keys[d.key] = d.id


def save(path: Path, found: list[WorkshopDilemma], chosen: bool = False) -> None:
    """The file, written whole or not at all, readable by its owner only.

    In the data dir its folder is made private like the journal's (0700). A file the moderator
    chose (`--file`) lives in a folder of their own: a missing one is made 0700, an existing one
    is theirs and left as it is (no chmod, no refusal for the other files in it).
    """
    named = f"--file {path}" if chosen else str(path)
    try:
        data = dumps(found).encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"cannot write {named}: a text in it is {NOT_TEXT}; the file is as it was") from None
    if chosen:
        try:
            made_dir(path.parent)
        except OSError as error:
            raise UserError(f"cannot make the folder of {named} ({error.strerror}); choose another "
                            "--file") from None
    else:
        private_dir(path.parent)
    write_chosen(path, data, named=named, fix="the file is as it was")


def dumps(found: list[WorkshopDilemma]) -> str:
    lines = [HEADER, f"version = {VERSION}"]
    for d in sorted(found, key=lambda d: d.id):
        lines += ["", "[[dilemma]]", f"id = {d.id}"]
        lines += [f"{name} = {toml_text(getattr(d, name))}" for name in TEXTS]
        lines += [f"{name} = {toml_text(text)}" + ("  # in line with the strategy" if n == 3 else "")
                  for n, (name, text) in enumerate(zip(SCENARIO_FIELDS, d.scenarios, strict=True), start=1)]
        lines += [f"session = {d.session}", f"consensus = {toml_text(d.consensus.value)}",
                  f"agreed = {d.agreed}"]
    return "\n".join(lines) + "\n"


def toml_text(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and DEL, which JSON leaves, is escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def with_id(found: list[WorkshopDilemma], number: int, path: Path) -> WorkshopDilemma:
    """The dilemma with this id; an unknown id is one line naming the ids there are."""
    for d in found:
        if d.id == number:
            return d
    known = ", ".join(str(d.id) for d in sorted(found, key=lambda d: d.id)) or "none yet"
    raise UserError(f"no dilemma {number} in {path}; its dilemmas: {known}")


def replaced(found: list[WorkshopDilemma], changed: WorkshopDilemma) -> list[WorkshopDilemma]:
    return [changed if d.id == changed.id else d for d in found]

