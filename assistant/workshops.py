"""The moderator's use cases behind `assistant workshop ...`: import, plan, scenario, decide,
pages. Beside app.py because they never touch a journal, a microphone or a speaker: only the
devices' export files, the moderator's workshop file and the pages to print.

Every command reads the whole workshop file, changes it in memory and writes it back whole
(atomically, 0600; in the data dir in a 0700 folder, with --file in the moderator's own): a
failed write leaves the file as it was.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from assistant.config import Config
from assistant.errors import UserError
from assistant.packs import Pack
from assistant.paths import write_chosen
from assistant.workshop import outcomes, plan, workfile
from assistant.workshop.agenda import lines
from assistant.workshop.exchange import read_export
from assistant.workshop.merge import merge
from assistant.workshop.record import WorkshopDilemma

PAGES = ("moderator.html", "board.html", "ballots.html")


def chosen_file(config: Config, file: Path | None) -> Path:
    return file or workfile.default_file(config.data_dir)


def _existing(path: Path) -> list[WorkshopDilemma]:
    found = workfile.load(path)
    if not path.exists():
        raise UserError(f"no workshop file at {path} yet: first `assistant workshop import FILE...` "
                        "(the devices' `assistant dilemmas export --format json`)")
    return found


def import_exports(config: Config, files: list[Path], file: Path | None = None) -> str:
    """Every file is read before anything is merged: one damaged file changes nothing."""
    path = chosen_file(config, file)
    incoming = [item for export in files for item in read_export(export)]
    merged = merge(workfile.load(path), incoming)
    workfile.save(path, merged.dilemmas, chosen=file is not None)
    people = len({d.participant for d in merged.dilemmas})
    return (f"{merged.added} new, {merged.known} already there, {merged.updated} updated from "
            f"{len(files)} file{'' if len(files) == 1 else 's'}; {len(merged.dilemmas)} dilemmas of "
            f"{people} participants in {path}")


def make_plan(config: Config, pack: Pack, family: str | None = None, start: str | None = None,
              file: Path | None = None, replan: bool = False) -> str:
    """Sessions given to the dilemmas without one (all with `replan`), kept in the file; the
    agenda printed."""
    path = chosen_file(config, file)
    found = plan.assign(_existing(path), family, replan)
    workfile.save(path, found, chosen=file is not None)
    planned = plan.sessions(found, family)
    return "\n".join(lines(planned, plan.unplanned(found) if family is None else [], pack,
                           start_minutes(start)))


CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)  # ASCII digits: str.isdigit takes "²" too


def start_minutes(start: str | None) -> int:
    """--start HH:MM as minutes after midnight; 14:5 is refused rather than guessed (14:05? 14:50?)."""
    if not start:
        return 0
    clock = CLOCK.fullmatch(start)
    if not clock or int(clock[1]) >= 24 or int(clock[2]) >= 60:
        shown = start if start.isprintable() else repr(start)  # no escape or line break gets through
        raise UserError(f"--start {shown}: give a time like 14:00")
    return int(clock[1]) * 60 + int(clock[2])


def write_scenario(config: Config, number: int, scenario: int, text: str, file: Path | None = None) -> str:
    path = chosen_file(config, file)
    found = _existing(path)
    changed = outcomes.with_scenario(workfile.with_id(found, number, path), scenario, text)
    workfile.save(path, workfile.replaced(found, changed), chosen=file is not None)
    return f"dilemma {number}: scenario {scenario} written"


def decide(config: Config, number: int, consensus: str, scenario: int | None = None,
           file: Path | None = None) -> str:
    path = chosen_file(config, file)
    found = _existing(path)
    changed = outcomes.decided(workfile.with_id(found, number, path), consensus, scenario)
    workfile.save(path, workfile.replaced(found, changed), chosen=file is not None)
    where = {"approval": "for approval", "vote": "for the board vote"}[changed.route.value]
    flag = " (flagged: not in line with the strategy)" if changed.off_strategy else ""
    return f"dilemma {number}: {where}{flag}"


def write_pages(config: Config, pack: Pack, out: Path | None = None, start: str | None = None,
                file: Path | None = None, today: date | None = None) -> list[Path]:
    """The moderator's sheet, the board's agenda and the ballot cards, private (0600)."""
    from assistant.pages import board, moderator

    path = chosen_file(config, file)
    found = _existing(path)
    made = today or date.today()
    texts = (moderator.render(plan.sessions(found), plan.unplanned(found), pack, made, start_minutes(start)),
             board.agenda(found, pack, made), board.ballots(found, pack, made))
    folder = out or Path(".")
    written = []
    for name, html in zip(PAGES, texts, strict=True):
        target = folder / name
        write_chosen(target, html.encode("utf-8"), fix="choose a folder with --out")
        written.append(target)
    return written
