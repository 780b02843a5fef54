"""Planning the workshop: function families into sessions of 4 to 8 participants (a larger
family split, a smaller one flagged), and each session's 2 hours: 15 minutes where-are-we, the
dilemmas sharing at most 90 minutes, 15 minutes conclusion; what does not fit is held over."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.errors import UserError
from assistant.workshop.agenda import lines
from assistant.workshop.plan import assign, sessions, unplanned
from assistant.workshop.record import WorkshopDilemma


def told(n: int, participant: str, family: str = "maintenance", day: int = 1) -> WorkshopDilemma:
    return WorkshopDilemma(id=n, key=f"dev/{n}", source="a.json", participant=participant,
                           date=f"2026-11-{day:02d}", family=family, situation=f"Situation {n}",
                           goals="g", options="o", last_time="l")


def test_eleven_participants_of_one_family_make_two_sessions_of_six_and_five():
    found = [told(n, f"p{n:02d}", day=n) for n in range(1, 12)]
    planned = sessions(assign(found))
    assert [(s.family, s.number, s.of, len(s.participants)) for s in planned] == [
        ("maintenance", 1, 2, 6), ("maintenance", 2, 2, 5)]
    assert not any(s.too_few for s in planned)
    assert sorted(d.id for s in planned for d in s.discussed) == list(range(1, 12))


def test_one_person_s_dilemmas_stay_in_one_session():
    found = [told(n, f"p{n % 9}", day=n) for n in range(1, 19)]  # 9 people, two dilemmas each
    planned = sessions(assign(found))
    assert [len(s.participants) for s in planned] == [5, 4]
    for s in planned:
        assert {d.participant for d in s.discussed} == set(s.participants)


def test_a_family_with_fewer_than_four_participants_is_flagged(en):
    found = [told(1, "a"), told(2, "b"), told(3, "c", "customer contact"), *[
        told(n, f"p{n}", "customer contact") for n in range(4, 8)]]
    planned = sessions(assign(found))
    assert [(s.family, s.too_few) for s in planned] == [("customer contact", False), ("maintenance", True)]
    text = "\n".join(lines(planned, [], en))
    assert text.count("Fewer than 4 participants") == 1


def test_three_dilemmas_get_thirty_minutes_each_within_two_hours(en):
    planned = sessions(assign([told(1, "a"), told(2, "b"), told(3, "c"), told(4, "d", day=2)][:3]))
    agenda = planned[0].agenda()
    assert [(s.start, s.end, s.part) for s in agenda] == [
        (0, 15, "where_are_we"), (15, 45, "dilemma"), (45, 75, "dilemma"), (75, 105, "dilemma"),
        (105, 120, "conclusion")]
    assert planned[0].later == ()
    shown = lines(planned, [], en, start=14 * 60)
    assert "  30 minutes per dilemma" in shown
    assert "  14:00–14:15  Where are we today: the strategy, and why the small choices matter" in shown
    assert "  15:45–16:00  Conclusion and feedback" in shown


def test_twelve_dilemmas_fill_ninety_minutes_and_three_are_held_over(en):
    found = [told(n, f"p{(n - 1) % 6}", day=n) for n in range(1, 13)]  # 6 people, two each
    planned = sessions(assign(found))
    session = planned[0]
    assert (len(session.discussed), session.minutes_each) == (9, 10)
    assert [d.id for d in session.discussed[:6]] == [1, 2, 3, 4, 5, 6]  # everyone's first comes first
    assert [d.id for d in session.later] == [10, 11, 12]
    agenda = session.agenda()
    assert agenda[-1].start == 105 and agenda[-1].end == 120
    text = "\n".join(lines(planned, [], en))
    assert "Held over for a next session (no room left in the 90 minutes): Dilemma 10, Dilemma 11, Dilemma 12" in text


def test_planning_one_family_leaves_the_others_as_they_were():
    found = [told(1, "a"), told(2, "b", "rentals")]
    planned = assign(found, family=" Rentals ")
    assert [d.session for d in planned] == [0, 1]
    assert [d.id for d in unplanned(planned)] == [1]


def test_an_unknown_family_names_the_families_there_are():
    with pytest.raises(UserError, match="no function family 'sales' among the dilemmas; they have: maintenance"):
        assign([told(1, "a")], family="sales")


def test_family_names_in_an_error_show_their_escapes_never_obey_them():
    with pytest.raises(UserError) as raised:
        assign([told(1, "a", family="\x1b[2Jrentals\u202e")], family="\x1b]0;owned\x07")
    said = str(raised.value)
    assert not any(c in said for c in "\x1b\x07\u202e"), repr(said)
    assert "'\\x1b]0;owned\\x07'" in said and "\\x1b[2Jrentals\\u202e" in said


def eleven_planned() -> list[WorkshopDilemma]:
    return assign([told(n, f"p{n:02d}", day=n) for n in range(1, 12)])


def test_planning_again_keeps_every_session_number_the_moderator_may_have_edited():
    planned = eleven_planned()
    moved = [replace(d, session=2) if d.id == 1 else d for d in planned]  # by hand, in workshop.toml
    assert assign(moved) == moved
    assert assign(moved, family="maintenance") == moved


def test_a_late_import_fills_in_without_reshuffling_the_sessions():
    planned = eleven_planned()
    late = [told(12, "p12", day=5), told(13, "p01", day=21)]  # told early, imported late; p01's second
    again = assign([*planned, *late])
    assert again[:11] == planned
    sizes = {n: len({d.participant for d in planned if d.session == n}) for n in (1, 2)}
    assert sizes == {1: 6, 2: 5}
    by_id = {d.id: d.session for d in again}
    assert by_id[12] == 2                           # the session with fewest participants
    assert by_id[13] == by_id[1]                    # one person's dilemmas stay together


def test_when_every_session_is_full_a_late_participant_opens_a_new_one():
    planned = assign([told(n, f"p{n:02d}", day=n) for n in range(1, 17)])  # 16: two sessions of 8
    again = assign([*planned, told(17, "p17", day=20)])
    assert [d.session for d in again if d.id == 17] == [3]
    assert [(s.number, s.of, len(s.participants)) for s in sessions(again)] == [(1, 3, 8), (2, 3, 8), (3, 3, 1)]


def test_replan_deals_every_session_afresh():
    planned = eleven_planned()
    moved = [replace(d, session=2) if d.id == 1 else d for d in planned]
    assert assign(moved, replan=True) == planned
