"""The weekly summary around the facts: which week, reading a real journal (DST, year boundary),
stored summaries, and the closing question about next week's intention."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from unit_helpers import MemoryJournal, RecordingVoice, ScriptedEars, make_answer

from assistant.conversation.dialogue import Command, Heard, StoredSummary, Word
from assistant.conversation.summary import compose
from assistant.conversation.weekly import (
    WeeklyTalk,
    chosen_week,
    gather_facts,
    intention_wanted,
    next_week,
    stored_summary,
)
from assistant.errors import UserError
from assistant.journal.tinyjournal import TinyJournal


def said(text: str) -> Heard:
    return Heard(text=text, words=tuple(Word(w, 0.9) for w in text.split()), audio_seconds=2.0,
                 started_at="2026-11-22T20:30:00+01:00", ended_at="2026-11-22T20:30:03+01:00")


def talk(pack, turns, *, for_week="2026-W48", patient=True):
    voice, journal = RecordingVoice(), MemoryJournal()
    result = WeeklyTalk(pack, ["Here is your week so far."], voice, journal, ScriptedEars(turns),
                        for_week=for_week, reask_on_silence=patient, session_id=lambda: "sum1").run()
    return result, voice.said, list(journal.rows.values())


# --- which week ---------------------------------------------------------------------------

def test_the_default_week_is_the_current_iso_week():
    assert chosen_week(None, date(2026, 11, 22)) == (2026, 47)  # a Sunday
    assert chosen_week(None, date(2027, 1, 1)) == (2026, 53)    # 2026 has 53 ISO weeks


def test_a_week_is_read_in_iso_form_in_any_case():
    assert chosen_week("2026-w40", date(2026, 11, 22)) == (2026, 40)


@pytest.mark.parametrize("text", ["2026-47", "2025-W53", "W47", "2026-W00", ""])
def test_a_malformed_or_impossible_week_is_one_clear_line(text):
    with pytest.raises(UserError, match="expected an ISO week like 2026-W47"):
        chosen_week(text, date(2026, 11, 22))


def test_a_week_that_has_not_begun_is_refused():
    with pytest.raises(UserError, match="2026-W48 has not begun yet; this week is 2026-W47"):
        chosen_week("2026-W48", date(2026, 11, 22))


def test_the_intention_is_asked_only_while_next_week_has_not_ended():
    today = date(2026, 11, 22)
    assert intention_wanted(2026, 47, today)       # this week: for next week
    assert intention_wanted(2026, 46, today)       # last week: for this week, still running
    assert not intention_wanted(2026, 45, today)   # that next week is over
    assert next_week(2026, 53) == (2027, 1) and next_week(2026, 47) == (2026, 48)


# --- the closing question -----------------------------------------------------------------

def test_a_named_value_is_kept_as_next_weeks_intention(en):
    result, spoken, stored = talk(en, [said("courage I think")])
    assert spoken == ["Here is your week so far.", en.summary["ask_intention"],
                      "Courage it is. I will come back to it next week.", en.summary["goodbye"]]
    (answer,) = stored
    assert (answer.script, answer.question_id, answer.value, answer.for_week) == (
        "summary", "intention", "courage", "2026-W48")
    assert answer.transcript == "courage I think" and answer.question == en.summary["ask_intention"]
    assert result.intention_value == "courage" and result.intention_id == 1


def test_words_that_name_no_value_are_noted_as_said(en):
    _, spoken, stored = talk(en, [said("going to bed on time")])
    assert spoken[2] == "I have noted it: going to bed on time."
    assert stored[0].value is None and stored[0].transcript == "going to bed on time"


@pytest.mark.parametrize("command", [Command.SKIP, Command.STOP, Command.LATER])
def test_skip_stop_or_later_keeps_no_intention(en, command):
    result, spoken, stored = talk(en, [Heard(command=command)])
    assert stored == [] and result.intention_id is None
    assert spoken[-2:] == [en.summary["no_intention"], en.summary["goodbye"]]


def test_repeat_and_help_ask_again(en):
    _, spoken, stored = talk(en, [Heard(command=Command.REPEAT), Heard(command=Command.HELP),
                                  said("calm")])
    ask, reask = en.summary["ask_intention"], en.summary["reask_intention"].replace(
        "{values}", en.value_names())
    assert spoken[1:4] == [ask, ask, reask]
    assert stored[0].value == "calm"


def test_silence_once_is_asked_again_gently_twice_lets_it_go(en):
    _, spoken, stored = talk(en, [Heard(), Heard()])
    assert stored == [] and spoken[2].startswith("Take your time.")
    assert spoken[-2] == en.summary["no_intention"]


def test_typed_empty_line_skips_at_once(en):
    _, spoken, stored = talk(en, [Heard()], patient=False)
    assert stored == [] and spoken[1:] == [en.summary["ask_intention"], en.summary["no_intention"],
                                           en.summary["goodbye"]]


def test_input_running_out_keeps_no_intention(en):
    _, spoken, stored = talk(en, [])
    assert stored == [] and spoken[-2] == en.summary["no_intention"]


def test_without_a_week_to_ask_for_only_the_summary_is_said(en):
    _, spoken, stored = talk(en, [said("courage")], for_week=None)
    assert spoken == ["Here is your week so far.", en.summary["goodbye"]] and stored == []


def test_every_line_is_prepared_first_summary_first(en):
    voice = RecordingVoice()
    WeeklyTalk(en, ["one", "two"], voice, MemoryJournal(), ScriptedEars([]), for_week="2026-W48").run()
    assert voice.prepared[:3] == ["one", "two", en.summary["ask_intention"]]


# --- a real journal: weeks, DST, the year boundary, stored summaries ---------------------

def add_moment(journal, started: str, session: str, value: str, authentic: bool = True) -> None:
    journal.add(make_answer(session_id=session, question_id="value", transcript=value, value=value,
                            started_at=started, ended_at=started))
    journal.add(make_answer(session_id=session, question_id="authentic", transcript="mine",
                            authentic=authentic, started_at=started, ended_at=started))


def test_a_week_with_the_dst_change_counts_local_days(tmp_path, en):
    """2026-W43: clocks went back on Sunday 25 October (Europe). Each answer keeps its own offset."""
    journal = TinyJournal(tmp_path)
    add_moment(journal, "2026-10-24T23:30:00+02:00", "s1", "calm")       # Saturday night
    add_moment(journal, "2026-10-25T02:30:00+02:00", "s2", "care")       # the first 02:30
    add_moment(journal, "2026-10-25T02:30:00+01:00", "s3", "care")       # the second 02:30
    add_moment(journal, "2026-10-25T23:59:00+01:00", "s4", "courage")    # still Sunday
    add_moment(journal, "2026-10-26T00:10:00+01:00", "s5", "honesty")    # Monday: next week
    facts = gather_facts(journal, en, 2026, 43)
    assert (facts.moments, facts.days) == (4, 2)
    assert facts.values == (("care", 2), ("calm", 1), ("courage", 1))
    assert gather_facts(journal, en, 2026, 44).moments == 1


def test_iso_week_1_spans_the_new_year_and_compares_with_the_last_week_of_the_old(tmp_path, en):
    journal = TinyJournal(tmp_path)
    add_moment(journal, "2024-12-27T20:00:00+01:00", "old", "calm")        # 2024-W52
    journal.add(make_answer(session_id="sum", script="summary", question_id="intention",
                            transcript="honesty", value="honesty", for_week="2025-W01",
                            started_at="2024-12-29T20:00:00+01:00", ended_at="2024-12-29T20:00:00+01:00"))
    add_moment(journal, "2024-12-30T20:00:00+01:00", "a", "honesty")       # Monday of 2025-W01
    add_moment(journal, "2025-01-02T20:00:00+01:00", "b", "courage", authentic=False)
    facts = gather_facts(journal, en, 2025, 1)
    assert (facts.year, facts.week, facts.moments, facts.days) == (2025, 1, 2, 2)
    assert facts.previous_moments == 1 and facts.intention.value == "honesty"
    assert facts.intention.times == 1 and (facts.authentic, facts.adapted) == (1, 1)
    lines = compose(facts, en, current=False)
    assert lines[:3] == ["Here is a look back at week 1.", "You looked at 2 moments on 2 days.",
                         "That is 1 more than the week before."]
    assert lines[-1] == "Last week you chose to practise honesty. It showed up 1 time this week."


def test_week_53_is_the_week_before_2027_w01(tmp_path, en):
    journal = TinyJournal(tmp_path)
    add_moment(journal, "2027-01-01T20:00:00+01:00", "nye", "care")        # 2026-W53
    facts = gather_facts(journal, en, 2027, 1)
    assert facts.previous_moments == 1 and facts.moments == 0


def test_summaries_are_stored_per_week_and_the_newest_week_is_replayed(tmp_path, en):
    journal = TinyJournal(tmp_path)
    now = datetime.fromisoformat("2026-11-22T20:00:00+01:00")
    journal.save_summary(2026, 46, stored_summary(["old week"], en, 2026, 46, now))
    journal.save_summary(2026, 47, stored_summary(["first"], en, 2026, 47, now))
    journal.save_summary(2026, 47, stored_summary(["second"], en, 2026, 47, now))
    assert journal.summary(2026, 47).lines == ["second"]
    assert journal.last_summary() == StoredSummary(week="2026-W47", language="en",
                                                   composed_at="2026-11-22T20:00:00+01:00", lines=["second"])
    assert journal.summary(2026, 46).lines == ["old week"]
    assert journal.answers() == []  # summaries are not answers


def test_erasing_answers_drops_the_summaries_that_may_quote_them(tmp_path, en):
    journal = TinyJournal(tmp_path)
    now = datetime.fromisoformat("2026-11-22T20:00:00+01:00")
    kept = journal.add(make_answer(started_at="2026-11-10T20:00:00+01:00"))   # 2026-W46
    gone = journal.add(make_answer(started_at="2026-11-17T20:00:00+01:00"))   # 2026-W47
    for week in (46, 47, 48):
        journal.save_summary(2026, week, stored_summary([f"week {week}"], en, 2026, week, now))
    journal.remove_many([gone])
    assert journal.summary(2026, 47) is None and journal.summary(2026, 48) is None
    assert journal.summary(2026, 46).lines == ["week 46"]
    backups = list((journal.folder / "backups" / "2026-W47").glob("*.json"))
    assert all("week 47" not in b.read_text() for b in backups)
    assert [a.id for a in journal.answers()] == [kept]


@pytest.mark.parametrize("command", [Command.UNDO, Command.FORGET])
def test_undo_or_forget_before_any_intention_says_there_is_nothing_to_undo_and_asks_again(en, command):
    _, spoken, stored = talk(en, [Heard(command=command), said("calm")])
    assert spoken[1:4] == [en.summary["ask_intention"], en.phrases["nothing_to_undo"],
                           en.summary["ask_intention"]]
    assert stored[0].value == "calm"
