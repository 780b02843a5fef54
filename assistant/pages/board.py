"""The board's pages: its agenda (what the groups agreed, for approval, a choice not in line with
the strategy flagged; what they did not agree on, for the vote) and one ballot card per vote
dilemma, its own printed page, so every member can show a choice at the same moment.
"""

from __future__ import annotations

from datetime import date

from assistant.packs import Pack
from assistant.pages.moderator import scenario_list, scenario_name
from assistant.pages.printed import box, page, text
from assistant.workshop.record import SCENARIOS, Route, WorkshopDilemma


def agenda(found: list[WorkshopDilemma], pack: Pack, made: date) -> str:
    say = pack.workshop
    approval = [d for d in found if d.route is Route.APPROVAL]
    vote = [d for d in found if d.route is Route.VOTE]
    undecided = [d for d in found if d.route is Route.OPEN]
    body = [_section(say["approval"], [_approval(d, pack) for d in approval], pack),
            _section(say["vote"], [_vote(d, pack) for d in vote], pack)]
    if undecided:
        names = ", ".join(text(say["dilemma"].format(id=d.id)) for d in undecided)
        body.append(f'<section class="list"><h2>{text(say["undecided"])}</h2><p>{names}</p></section>')
    return page(say["board_title"], say["board_intro"], made, pack, body)


def _section(heading: str, items: list[str], pack: Pack) -> str:
    content = items or [f"<p>{text(pack.workshop['none'])}</p>"]
    return "\n".join([f"<section><h2>{text(heading)}</h2>", *content, "</section>"])


def _title(d: WorkshopDilemma, pack: Pack) -> str:
    return f"{text(pack.workshop['dilemma'].format(id=d.id))} ({text(d.family)})"


def _approval(d: WorkshopDilemma, pack: Pack) -> str:
    name = scenario_name(d.agreed, pack)
    parts = [f"<article><h3>{_title(d, pack)}</h3>", f"<p>{text(d.situation)}</p>",
             f"<p><strong>{text(pack.workshop['agreed'])}: {text(name)}</strong>: {text(d.scenario(d.agreed))}</p>"]
    if d.off_strategy:
        parts.append(f'<p class="flag">{text(pack.workshop["off_strategy"])}</p>')
    return "\n".join([*parts, "</article>"])


def _vote(d: WorkshopDilemma, pack: Pack) -> str:
    return "\n".join([f"<article><h3>{_title(d, pack)}</h3>", f"<p>{text(d.situation)}</p>",
                      scenario_list(d, pack), "</article>"])


def ballots(found: list[WorkshopDilemma], pack: Pack, made: date) -> str:
    """One card per dilemma for the vote; each prints on a page of its own."""
    say = pack.workshop
    cards = [_card(d, pack) for d in found if d.route is Route.VOTE]
    return page(say["ballots_title"], say["ballot_instruction"], made, pack,
                cards or [f"<p>{text(say['none'])}</p>"])


def _card(d: WorkshopDilemma, pack: Pack) -> str:
    vote = "".join(f"{box()}{n}" for n in SCENARIOS)
    return "\n".join([f'<article class="card"><h2>{_title(d, pack)}</h2>', f"<p>{text(d.situation)}</p>",
                      scenario_list(d, pack),
                      f"<p><strong>{text(pack.dilemma['ballot_vote'])}:</strong>{vote}</p>",
                      f'<p class="intro">{text(pack.workshop["ballot_instruction"])}</p>', "</article>"])
