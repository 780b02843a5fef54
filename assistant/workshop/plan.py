"""The workshop's plan: function families into sessions of 4 to 8 participants, and each
session's agenda of at most 2 hours (15 minutes "where are we", the dilemmas sharing at most 90
minutes, 15 minutes conclusion and feedback).

Pure: `assign` gives each dilemma its family's session number (kept in the workshop file, so the
moderator may move one by hand); `sessions` and the agenda are always worked out from those
numbers. A dilemma needs time for three scenarios and a round towards consensus, so it gets at
least MIN_MINUTES and at most MAX_MINUTES. Each participant's first dilemma comes before anyone's
second; what does not fit in the 90 minutes is held over for a next session, and said.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from assistant.errors import UserError
from assistant.escape import visible
from assistant.workshop.record import WorkshopDilemma

MIN_PARTICIPANTS, MAX_PARTICIPANTS = 4, 8
OPENING_MINUTES, DILEMMA_MINUTES, CLOSING_MINUTES = 15, 90, 15
MIN_MINUTES, MAX_MINUTES = 10, 30   # per dilemma
OPENING, DILEMMA, CLOSING = "where_are_we", "dilemma", "conclusion"


@dataclass(frozen=True)
class Slot:
    start: int               # minutes from the start of the session
    end: int
    part: str                # OPENING, DILEMMA or CLOSING
    dilemma: WorkshopDilemma | None = None


@dataclass(frozen=True)
class PlannedSession:
    family: str
    number: int
    of: int                              # sessions of this family
    participants: tuple[str, ...]
    discussed: tuple[WorkshopDilemma, ...]  # in the order of the agenda
    later: tuple[WorkshopDilemma, ...]      # no room left in the 90 minutes

    @property
    def too_few(self) -> bool:
        return len(self.participants) < MIN_PARTICIPANTS

    @property
    def minutes_each(self) -> int:
        return minutes_per_dilemma(len(self.discussed))

    def agenda(self) -> list[Slot]:
        each = self.minutes_each
        slots = [Slot(0, OPENING_MINUTES, OPENING)]
        for n, d in enumerate(self.discussed):
            start = OPENING_MINUTES + n * each
            slots.append(Slot(start, start + each, DILEMMA, d))
        end = slots[-1].end
        return [*slots, Slot(end, end + CLOSING_MINUTES, CLOSING)]


def minutes_per_dilemma(count: int) -> int:
    return min(MAX_MINUTES, DILEMMA_MINUTES // count) if count else 0


def families(found: list[WorkshopDilemma]) -> list[str]:
    return sorted({d.family for d in found})


def assign(found: list[WorkshopDilemma], family: str | None = None) -> list[WorkshopDilemma]:
    """Every dilemma (of `family`, or of all) with its session number; the others as they were.

    A family's participants, ordered by the day of their first dilemma, are dealt over
    ceil(n / 8) sessions in turn, so 11 participants make sessions of 6 and 5."""
    chosen = families(found) if family is None else [_known_family(found, family)]
    numbers: dict[tuple[str, str], int] = {}
    for name in chosen:
        people = _participants([d for d in found if d.family == name])
        count = max(1, math.ceil(len(people) / MAX_PARTICIPANTS))
        numbers.update({(name, p): n % count + 1 for n, p in enumerate(people)})
    return [replace(d, session=numbers[(d.family, d.participant)]) if d.family in chosen else d
            for d in found]


def _known_family(found: list[WorkshopDilemma], family: str) -> str:
    wanted = family.strip().lower()
    if wanted not in families(found):
        known = ", ".join(visible(name) for name in families(found)) or "none yet"
        raise UserError(f"no function family {family!r} among the dilemmas; they have: {known}")
    return wanted


def _participants(found: list[WorkshopDilemma]) -> list[str]:
    first: dict[str, str] = {}
    for d in sorted(found, key=lambda d: (d.date, d.id)):
        first.setdefault(d.participant, d.date)
    return sorted(first, key=lambda p: (first[p], p))


def sessions(found: list[WorkshopDilemma], family: str | None = None) -> list[PlannedSession]:
    """The planned sessions (of `family`, or all), by family and number."""
    wanted = None if family is None else _known_family(found, family)
    planned = [d for d in found if d.session and (wanted is None or d.family == wanted)]
    result = []
    for name in families(planned):
        ours = [d for d in planned if d.family == name]
        count = max(d.session for d in ours)
        for number in sorted({d.session for d in ours}):
            result.append(_session(name, number, count, [d for d in ours if d.session == number]))
    return result


def _session(family: str, number: int, of: int, found: list[WorkshopDilemma]) -> PlannedSession:
    ordered = _in_turn(found)
    room = DILEMMA_MINUTES // MIN_MINUTES
    return PlannedSession(family, number, of, tuple(_participants(found)), tuple(ordered[:room]),
                          tuple(ordered[room:]))


def _in_turn(found: list[WorkshopDilemma]) -> list[WorkshopDilemma]:
    """Each participant's first dilemma, then each one's second, ...: nobody's waits for another's
    third. Within a round, in the order the participants first told one."""
    queues = {p: [d for d in sorted(found, key=lambda d: (d.date, d.id)) if d.participant == p]
              for p in _participants(found)}
    rounds = max((len(q) for q in queues.values()), default=0)
    return [q[n] for n in range(rounds) for q in queues.values() if n < len(q)]


def unplanned(found: list[WorkshopDilemma]) -> list[WorkshopDilemma]:
    return [d for d in found if not d.session]
