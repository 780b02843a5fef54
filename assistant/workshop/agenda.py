"""The plan as the moderator reads it in the terminal, and the times the pages print: in the
pack's words, times from 0:00 or from a clock time the session starts at.

Every text from a teller goes through `visible`, so a control character in it can never move the
terminal's cursor or reorder what is shown.
"""

from __future__ import annotations

from assistant.escape import visible
from assistant.packs import Pack
from assistant.workshop.plan import CLOSING, MIN_PARTICIPANTS, OPENING, PlannedSession, Slot
from assistant.workshop.record import WorkshopDilemma

HEADLINE_WORDS = 12


def clock(minutes: int, start: int = 0) -> str:
    """'0:15' from the start of the session, or '14:15' when it starts at 14:00 (start=840)."""
    total = (start + minutes) % (24 * 60)
    return f"{total // 60}:{total % 60:02d}"


def span(slot: Slot, start: int = 0) -> str:
    return f"{clock(slot.start, start)}–{clock(slot.end, start)}"


def headline(d: WorkshopDilemma) -> str:
    """The first words of the situation: enough to know the dilemma by."""
    words = d.situation.split()
    return " ".join(words[:HEADLINE_WORDS]) + ("…" if len(words) > HEADLINE_WORDS else "")


def slot_text(slot: Slot, pack: Pack) -> str:
    say = pack.workshop
    if slot.part == OPENING:
        return say["where_are_we"]
    if slot.part == CLOSING:
        return say["conclusion"]
    assert slot.dilemma is not None
    return f"{say['dilemma'].format(id=slot.dilemma.id)}: {headline(slot.dilemma)}"


def session_title(session: PlannedSession, pack: Pack) -> str:
    return pack.workshop["session"].format(family=session.family, number=session.number, count=session.of)


def lines(planned: list[PlannedSession], unplanned: list[WorkshopDilemma], pack: Pack,
          start: int = 0) -> list[str]:
    say = pack.workshop
    out: list[str] = []
    for session in planned:
        out += [session_title(session, pack), say["participants"].format(count=len(session.participants))]
        if session.too_few:
            out.append("  ! " + say["too_few"].format(minimum=MIN_PARTICIPANTS))
        out.append("  " + say["each"].format(minutes=session.minutes_each))
        out += [f"  {span(slot, start)}  {slot_text(slot, pack)}" for slot in session.agenda()]
        if session.later:
            out.append(f"  {say['later']}: " + ", ".join(say["dilemma"].format(id=d.id) for d in session.later))
        out.append("")
    if unplanned:
        out += [say["not_planned"] + ": " + ", ".join(say["dilemma"].format(id=d.id) for d in unplanned), ""]
    return [visible(line) for line in out]
