"""A dilemma's scenarios and outcome: consensus on scenario 3 goes for approval, on 1 or 2 for
approval flagged "not in line with the strategy", no consensus to the board's vote; every
mistake one line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.errors import UserError
from assistant.workshop.outcomes import decided, with_scenario
from assistant.workshop.record import Consensus, Route, WorkshopDilemma

READY = WorkshopDilemma(id=4, key="dev/4", source="a.json", participant="a", date="2026-11-02",
                        family="maintenance", situation="s", goals="g", options="o", last_time="l",
                        scenarios=("repair today", "wait for the contract", "plan it with the tenant"))


def test_nothing_decided_is_open():
    assert READY.route is Route.OPEN and not READY.off_strategy


def test_consensus_on_scenario_three_goes_for_approval_in_line_with_the_strategy():
    d = decided(READY, "yes", 3)
    assert (d.route, d.off_strategy, d.consensus, d.agreed) == (Route.APPROVAL, False, Consensus.YES, 3)


@pytest.mark.parametrize("scenario", [1, 2])
def test_consensus_on_scenario_one_or_two_goes_for_approval_flagged(scenario):
    d = decided(READY, "yes", scenario)
    assert (d.route, d.off_strategy, d.agreed) == (Route.APPROVAL, True, scenario)


def test_no_consensus_goes_to_the_board_vote():
    d = decided(decided(READY, "yes", 2), "no")
    assert (d.route, d.off_strategy, d.agreed) == (Route.VOTE, False, 0)


@pytest.mark.parametrize(("call", "said"), [
    (lambda: decided(READY, "yes", 4), "scenario 4: a dilemma has scenarios 1, 2 and 3"),
    (lambda: decided(READY, "yes"), "dilemma 4: with consensus, say which scenario"),
    (lambda: decided(READY, "no", 3), "dilemma 4: --scenario goes with --consensus yes"),
    (lambda: decided(READY, "maybe"), "--consensus maybe: say yes or no"),
    (lambda: decided(replace(READY, scenarios=("a", "", "c")), "no"), "dilemma 4: scenario 2 is empty"),
    (lambda: with_scenario(READY, 4, "x"), "scenario 4: a dilemma has scenarios 1, 2 and 3"),
    (lambda: with_scenario(READY, 1, "  "), "dilemma 4: scenario 1: give its text"),
    (lambda: with_scenario(READY, 2, "caf\udce9"), "dilemma 4: scenario 2: not valid text"),  # a Latin-1 argument
    (lambda: with_scenario(READY, 2, "\ud800"), "dilemma 4: scenario 2: not valid text"),
])
def test_each_mistake_is_one_line(call, said):
    with pytest.raises(UserError) as raised:
        call()
    assert str(raised.value).startswith(said) and "\n" not in str(raised.value)


def test_a_scenario_is_written_as_one_line():
    d = with_scenario(READY, 3, "plan it\nwith the   tenant")
    assert d.scenarios == ("repair today", "wait for the contract", "plan it with the tenant")
