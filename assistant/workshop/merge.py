"""Many devices' exports merged into the moderator's dilemmas: each dilemma once, whatever file
or how often it comes in, with its source and day; the moderator's work on it never lost.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.workshop.exchange import Exported
from assistant.workshop.record import SHARED_PARTS, WorkshopDilemma


@dataclass(frozen=True)
class Merged:
    dilemmas: list[WorkshopDilemma]
    added: int = 0
    known: int = 0     # already there, word for word
    updated: int = 0   # already there, and its teller has corrected it since: their words win


def merge(held: list[WorkshopDilemma], incoming: list[Exported]) -> Merged:
    """New dilemmas get the next free numbers, in the order of their day (within a day, of the
    files as given and each file's own order: a dilemma's id says nothing); one already there keeps
    its number, scenarios, session, outcome and family (the moderator may have joined two spellings
    of one family); its shared parts follow the teller's newest words."""
    by_key = {d.key: d for d in held}
    added = known = updated = 0
    next_id = max((d.id for d in held), default=0) + 1
    unique = {item.key: item for item in incoming}  # one file given twice counts once
    for item in sorted(unique.values(), key=lambda e: e.date):  # stable
        old = by_key.get(item.key)
        if old is None:
            by_key[item.key] = WorkshopDilemma(id=next_id, key=item.key, source=item.source,
                                               participant=item.participant, date=item.date,
                                               family=item.family, situation=item.situation,
                                               goals=item.goals, options=item.options,
                                               last_time=item.last_time)
            next_id, added = next_id + 1, added + 1
        elif tuple(getattr(old, part) for part in SHARED_PARTS) == item.shared():
            known += 1
        else:
            by_key[item.key] = replace(old, situation=item.situation, goals=item.goals,
                                       options=item.options, last_time=item.last_time)
            updated += 1
    return Merged(sorted(by_key.values(), key=lambda d: d.id), added, known, updated)
