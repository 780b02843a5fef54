"""The workshop's plan: function families into sessions of 4 to 8 participants, and each
session's agenda of at most 2 hours (15 minutes "where are we", the dilemmas sharing at most 90
minutes, 15 minutes conclusion and feedback).

Pure: `assign` gives each dilemma not planned yet its family's session number (kept in the
workshop file, so the moderator may move one by hand, and a late import does not reshuffle the
others); `sessions` and the agenda are always worked out from those numbers. A dilemma needs
time for three scenarios and a round towards consensus, so it gets at least MIN_MINUTES and at
most MAX_MINUTES. Each participant's first dilemma comes before anyone's second; what does not
fit in the 90 minutes is held over for a next session, and said.
"""

from __future__ import annotations

import math
from collections import Counter
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


def assign(found: list[WorkshopDilemma], family: str | None = None,
           replan: bool = False) -> list[WorkshopDilemma]:
    """The dilemmas (of `family`, or of all) not in a session yet given one; the rest as they were.

    A session number once given is the moderator's: they may have moved a dilemma by hand, or
    told the participants already. So a late import only fills in: a participant already in a
    session joins it, a new one the family's session with the fewest participants (a new session
    when all have 8). A family with no session yet, or every dilemma with `replan`, is dealt
    afresh: its participants, ordered by the day of their first dilemma, in turn over
    ceil(n / 8) sessions, so 11 participants make sessions of 6 and 5."""
    chosen = families(found) if family is None else [_known_family(found, family)]
    numbers: dict[tuple[str, str], int] = {}
    for name in chosen:
        ours = [d for d in found if d.family == name]
        seated = {} if replan else _seated(ours)
        numbers.update({(name, p): n for p, n in _seats(_participants(ours), seated).items()})
    return [replace(d, session=numbers[(d.family, d.participant)])
            if d.family in chosen and (replan or not d.session) else d for d in found]


def _seated(ours: list[WorkshopDilemma]) -> dict[str, int]:
    """Each participant already planned, with their (first) session."""
    seated: dict[str, int] = {}
    for d in sorted((d for d in ours if d.session), key=lambda d: d.session):
        seated.setdefault(d.participant, d.session)
    return seated


def _seats(people: list[str], seated: dict[str, int]) -> dict[str, int]:
    """Every participant's session: the seated keep theirs, the others are dealt or fill in."""
    new = [p for p in people if p not in seated]
    if not seated:
        count = max(1, math.ceil(len(new) / MAX_PARTICIPANTS))
        return {p: n % count + 1 for n, p in enumerate(new)}
    sizes = Counter(seated.values())
    seats = dict(seated)
    for person in new:
        number = min(sizes, key=lambda s: (sizes[s], s))
        if sizes[number] >= MAX_PARTICIPANTS:
            number = max(sizes) + 1
        sizes[number] += 1
        seats[person] = number
    return seats


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
