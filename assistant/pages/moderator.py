"""The moderator's sheet: per session its agenda with times, and per dilemma what the teller
shared, the three scenarios (the third in line with the strategy) and a consensus box to mark.
"""

from __future__ import annotations

from datetime import date

from assistant.packs import Pack
from assistant.pages.printed import box, page, text
from assistant.workshop.agenda import headline, session_title, slot_text, span
from assistant.workshop.plan import MIN_PARTICIPANTS, PlannedSession
from assistant.workshop.record import SCENARIOS, STRATEGY_SCENARIO, Consensus, WorkshopDilemma


def render(planned: list[PlannedSession], unplanned: list[WorkshopDilemma], pack: Pack, made: date,
           start: int = 0) -> str:
    say = pack.workshop
    body = [_session(s, pack, start) for s in planned]
    if unplanned:
        body.append(_list(say["not_planned"], unplanned, pack))
    if not planned and not unplanned:
        body.append(f"<p>{text(say['none'])}</p>")
    return page(say["moderator_title"], say["moderator_intro"], made, pack, body)


def _session(session: PlannedSession, pack: Pack, start: int) -> str:
    say = pack.workshop
    parts = [f'<section class="session"><h2>{text(session_title(session, pack))}</h2>',
             f"<p>{text(say['participants'].format(count=len(session.participants)))}</p>"]
    if session.too_few:
        parts.append(f'<p class="flag">{text(say["too_few"].format(minimum=MIN_PARTICIPANTS))}</p>')
    rows = [f'<tr><td class="time">{span(slot, start)}</td><td>{text(slot_text(slot, pack))}</td></tr>'
            for slot in session.agenda()]
    parts += [f"<h3>{text(say['agenda'])}</h3>", '<table class="agenda"><tbody>', *rows, "</tbody></table>",
              f"<p>{text(say['each'].format(minutes=session.minutes_each))}</p>"]
    parts += [dilemma_article(d, pack, consensus_box=True) for d in session.discussed]
    if session.later:
        parts.append(_list(say["later"], list(session.later), pack))
    return "\n".join([*parts, "</section>"])


def dilemma_article(d: WorkshopDilemma, pack: Pack, consensus_box: bool = False) -> str:
    label = pack.dilemma
    shared = [("label_situation", d.situation), ("label_goals", d.goals), ("label_options", d.options),
              ("label_last_time", d.last_time)]
    facts = "".join(f"<dt>{text(label[key])}</dt><dd>{text(value)}</dd>" for key, value in shared)
    parts = [f'<article class="dilemma"><h3>{text(pack.workshop["dilemma"].format(id=d.id))}</h3>',
             f'<p class="source">{text(pack.workshop["source"].format(date=d.date, source=d.source))}</p>',
             f"<dl>{facts}</dl>", scenario_list(d, pack)]
    if consensus_box:
        parts.append(_consensus(d, pack))
    return "\n".join([*parts, "</article>"])


def scenario_name(number: int, pack: Pack) -> str:
    """"Scenario 2", or "Scenario 3 (in line with the strategy)": plain text, to be escaped."""
    name = f"{pack.dilemma['scenario']} {number}"
    if number == STRATEGY_SCENARIO:
        name += f" ({pack.dilemma['scenario_strategy']})"
    return name


def scenario_list(d: WorkshopDilemma, pack: Pack) -> str:
    items = []
    for n in SCENARIOS:
        name = scenario_name(n, pack)
        said = d.scenario(n)
        content = text(said) if said else f'<span class="blank">{text(pack.workshop["empty_scenario"])}</span>'
        items.append(f'<li><span class="number">{n}</span><strong>{text(name)}:</strong> {content}</li>')
    return "\n".join(['<ol class="scenarios">', *items, "</ol>"])


def _consensus(d: WorkshopDilemma, pack: Pack) -> str:
    yes, no = pack.yes[0], pack.no[0]
    agreed = "".join(f"{box(d.agreed == n)}{n}" for n in SCENARIOS)
    return (f'<p class="consensus"><strong>{text(pack.dilemma["consensus"])}:</strong>'
            f"{box(d.consensus is Consensus.YES)}{text(yes)}{box(d.consensus is Consensus.NO)}{text(no)}"
            f" &nbsp; <strong>{text(pack.workshop['agreed'])}:</strong>{agreed}</p>")


def _list(heading: str, found: list[WorkshopDilemma], pack: Pack) -> str:
    items = [f"<li>{text(pack.workshop['dilemma'].format(id=d.id))} ({text(d.family)}): {text(headline(d))}</li>"
             for d in found]
    return "\n".join([f'<section class="list"><h3>{text(heading)}</h3><ul>', *items, "</ul></section>"])
