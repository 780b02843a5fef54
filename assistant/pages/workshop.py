"""The "kleine keuzes" workshop sheets from recorded dilemmas: the moderator's sheet (grouped by
function family, three scenario slots each, the third in line with the strategy, consensus, a
"to the board" list) with the board's ballot cards, as Markdown; or one CSV row per dilemma.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from itertools import groupby

from assistant.conversation.dialogue import StoredAnswer
from assistant.escape import csv_cell, markdown, visible
from assistant.names import DilemmaQuestion, ScriptName
from assistant.packs import Pack
from assistant.weeks import local_date

SCRIPT = ScriptName.DILEMMA
FIELDS = ("number", "family", "date", "situation", "goals", "options", "last_time",
          "scenario_1", "scenario_2", "scenario_3_strategy", "consensus", "to_board", "session_id")


@dataclass(frozen=True)
class Dilemma:
    number: int
    family: str
    date: str
    situation: str
    goals: str
    options: str
    last_time: str
    session_id: str


def dilemmas(answers: list[StoredAnswer]) -> list[Dilemma]:
    """One Dilemma per recording, grouped by function family (then by date), numbered."""
    by_session: dict[str, dict[str, StoredAnswer]] = {}
    for answer in answers:
        if answer.script == SCRIPT:
            by_session.setdefault(answer.session_id, {})[answer.question_id] = answer
    rows = []
    for session_id, parts in by_session.items():
        text = {k: parts[k].transcript if k in parts else "" for k in DilemmaQuestion}
        first = min(parts.values(), key=lambda a: a.started_at)
        rows.append((text[DilemmaQuestion.FAMILY].strip().lower() or "-", str(local_date(first.started_at)),
                     session_id, text))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    q = DilemmaQuestion
    return [Dilemma(n, family, day, t[q.SITUATION], t[q.GOALS], t[q.OPTIONS], t[q.LAST_TIME], session_id)
            for n, (family, day, session_id, t) in enumerate(rows, start=1)]


def to_markdown(found: list[Dilemma], pack: Pack) -> str:
    """The sheet; every text from the recordings is escaped, so none can change its structure."""
    say = pack.dilemma
    found = [_escaped(d) for d in found]
    lines = [f"# {say['sheet_title']}", "", say["sheet_intro"], ""]
    for family, group in groupby(found, key=lambda d: d.family):
        lines += [f"## {say['family_heading']}: {family}", ""]
        for d in group:
            lines += [f"### Dilemma {d.number} ({d.date})", "",
                      f"- **{say['label_situation']}:** {d.situation}",
                      f"- **{say['label_goals']}:** {d.goals}",
                      f"- **{say['label_options']}:** {d.options}",
                      f"- **{say['label_last_time']}:** {d.last_time}", "",
                      f"1. {say['scenario']} 1: ____________________",
                      f"2. {say['scenario']} 2: ____________________",
                      f"3. {say['scenario']} 3 ({say['scenario_strategy']}): ____________________", "",
                      f"{say['consensus']}: [ ] {pack.yes[0]}  [ ] {pack.no[0]}", ""]
    lines += [f"## {say['to_board']}", "", say["board_empty"], ""]
    lines += [f"- [ ] Dilemma {d.number} ({d.family})" for d in found]
    lines += ["", "---", "", f"# {say['ballot_title']}", "", say["ballot_intro"], ""]
    for d in found:
        lines += [f"## Dilemma {d.number} ({d.family})", "", d.situation, "",
                  f"{say['ballot_vote']}:  [ ] 1   [ ] 2   [ ] 3", "", "---", ""]
    if not found:
        lines += ["-", ""]
    return "\n".join(lines)


def _escaped(d: Dilemma) -> Dilemma:
    return Dilemma(d.number, markdown(d.family), markdown(d.date), markdown(d.situation), markdown(d.goals),
                   markdown(d.options), markdown(d.last_time), markdown(d.session_id))


def to_csv(found: list[Dilemma]) -> str:
    """One row per dilemma; formulas neutralised and control characters shown (escape.py)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for d in found:
        row = [d.number, d.family, d.date, d.situation, d.goals, d.options, d.last_time,
               "", "", "", "", "", d.session_id]
        writer.writerow([visible(csv_cell(cell)) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue()
