"""What the moderator writes into a dilemma: its scenarios, and the group's outcome.

The routing follows the workshop's method: consensus on scenario 3 (in line with the strategy)
goes to the board for approval; consensus on scenario 1 or 2 also goes for approval, flagged as
not in line with the strategy; no consensus goes to the board's vote, where every member shows a
card at the same moment. An outcome needs the scenarios it puts before the board.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.errors import UserError
from assistant.workshop.record import (
    NOT_TEXT,
    SCENARIOS,
    STRATEGY_SCENARIO,
    Consensus,
    WorkshopDilemma,
    is_text,
)


def scenario_number(number: int) -> int:
    if number not in SCENARIOS:
        raise UserError(f"scenario {number}: a dilemma has scenarios 1, 2 and 3 "
                        f"({STRATEGY_SCENARIO} is the one in line with the strategy)")
    return number


def with_scenario(dilemma: WorkshopDilemma, number: int, text: str) -> WorkshopDilemma:
    """The dilemma with scenario `number` written (one line: the pages print it as one)."""
    scenario_number(number)
    line = " ".join(text.split())
    if not line:
        raise UserError(f"dilemma {dilemma.id}: scenario {number}: give its text in quotes")
    if not is_text(line):
        raise UserError(f"dilemma {dilemma.id}: scenario {number}: {NOT_TEXT}; type it again, or "
                        "write it in the workshop file with an editor")
    scenarios = list(dilemma.scenarios)
    scenarios[number - 1] = line
    return replace(dilemma, scenarios=(scenarios[0], scenarios[1], scenarios[2]))


def decided(dilemma: WorkshopDilemma, consensus: str, agreed: int | None = None) -> WorkshopDilemma:
    """The dilemma with its outcome; deciding again replaces the earlier outcome."""
    if consensus not in (Consensus.YES, Consensus.NO):
        raise UserError(f"--consensus {consensus}: say yes or no")
    verdict = Consensus(consensus)
    if verdict is Consensus.YES:
        if agreed is None:
            raise UserError(f"dilemma {dilemma.id}: with consensus, say which scenario the group "
                            "agreed on: --scenario 1, 2 or 3")
        needed = [scenario_number(agreed)]
    else:
        if agreed is not None:
            raise UserError(f"dilemma {dilemma.id}: --scenario goes with --consensus yes; without "
                            "consensus the board votes on all three")
        needed = list(SCENARIOS)
    empty = [n for n in needed if not dilemma.scenario(n).strip()]
    if empty:
        raise UserError(f"dilemma {dilemma.id}: scenario {empty[0]} is empty; write it first "
                        f'(assistant workshop scenario {dilemma.id} {empty[0]} "...")')
    return replace(dilemma, consensus=verdict, agreed=agreed or 0)
