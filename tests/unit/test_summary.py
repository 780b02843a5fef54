"""The weekly summary on made-up weeks: exact facts, exact words, and the limits on length."""

from __future__ import annotations

from dataclasses import asdict, replace
from types import MappingProxyType

import pytest
from unit_helpers import make_answer

from assistant.conversation.dialogue import StoredAnswer
from assistant.conversation.summary import WeekFacts, compose, one_sentence, week_facts, word_count

# One moment of the compass script: (question id, transcript, stored value, stored authentic).
QUESTIONS = ("situation", "value", "choice", "effect", "authentic", "direction")


def moment(started: str, session: str, number: int = 1, *, value: str | None = "courage",
           said_value: str | None = None, authentic: bool | None = True,
           situation: str = "A colleague asked me for help with a report.",
           direction: str = "Someone who helps.", confidence: float = 0.9,
           only: tuple[str, ...] = QUESTIONS) -> list[StoredAnswer]:
    """The answers of one moment, a minute apart, as the journal returns them."""
    texts = {"situation": situation, "value": said_value or value or "", "choice": "I helped her.",
             "effect": "Tired but glad.", "authentic": "my own" if authentic else "others",
             "direction": direction}
    day, time = started.split("T")
    hour, minute = int(time[:2]), int(time[3:5])
    answers = []
    for n, question in enumerate(q for q in QUESTIONS if q in only):
        at = f"{day}T{hour:02d}:{minute + n:02d}:00{time[8:]}"
        answer = make_answer(session_id=session, moment=number, question_id=question,
                             transcript=texts[question], started_at=at, ended_at=at,
                             confidence=confidence,
                             value=value if question == "value" else None,
                             authentic=authentic if question == "authentic" else None)
        answers.append(StoredAnswer(id=len(answers) + 1, **asdict(answer)))
    return answers


def intention(said_at: str, for_week: str, value: str | None, text: str) -> StoredAnswer:
    answer = make_answer(session_id="s-sum", script="summary", question_id="intention",
                         transcript=text, started_at=said_at, ended_at=said_at, value=value,
                         for_week=for_week)
    return StoredAnswer(id=99, **asdict(answer))


def typical_week() -> tuple[list[dict], list[list[dict]], dict]:
    this_week = [
        *moment("2026-11-16T20:00:00+01:00", "s1", 1, value="courage", authentic=True,
                situation="At work a colleague asked me to take over her report. I said no kindly "
                          "and explained that my own deadline came first."),
        *moment("2026-11-16T20:10:00+01:00", "s1", 2, value="calm", authentic=False),
        *moment("2026-11-18T21:00:00+01:00", "s2", 1, value="courage", said_value="I was brave",
                authentic=True),
        *moment("2026-11-21T19:30:00+01:00", "s3", 1, value="care", authentic=True,
                direction="I want to be someone who looks after the people around her without "
                          "forgetting herself"),
    ]
    previous = [*moment("2026-11-10T20:00:00+01:00", "p1", 1, value="calm"),
                *moment("2026-11-12T20:00:00+01:00", "p2", 1, value="honesty")]
    older = moment("2026-10-01T20:00:00+02:00", "o1", 1, value="care")
    earlier = [previous, [], [], [], [], [], older]
    return this_week, earlier, intention("2026-11-15T20:00:00+01:00", "2026-W47", "courage", "courage")


def test_a_typical_week_has_exact_facts(en):
    this_week, earlier, wish = typical_week()
    facts = week_facts(2026, 47, this_week, earlier, en, wish)
    assert (facts.moments, facts.days) == (4, 3)
    assert facts.values == (("courage", 2), ("calm", 1), ("care", 1))  # ties in the pack's order
    assert (facts.authentic, facts.adapted) == (3, 1)
    assert facts.previous_moments == 2
    assert facts.new_values == ("courage",)
    assert facts.returned_values == ("care",)
    assert facts.intention.value == "courage" and facts.intention.times == 2
    assert facts.quotes == (
        "At work a colleague asked me to take over her report",
        "I want to be someone who looks after the people around her without forgetting herself")


def test_a_typical_week_reads_exactly_so_in_english(en):
    this_week, earlier, wish = typical_week()
    lines = compose(week_facts(2026, 47, this_week, earlier, en, wish), en, current=True)
    assert lines == [
        "Here is your week so far.",
        "You looked at 4 moments on 3 days.",
        "That is 2 more than the week before.",
        "The values you followed: courage 2 times, calm 1 time and care 1 time.",
        "New this week: courage.",
        "Back after a while: care.",
        "Felt like your own: 3 times. Adapted to others: 1 time.",
        "In your own words:",
        '"At work a colleague asked me to take over her report"',
        '"I want to be someone who looks after the people around her without forgetting herself"',
        "Last week you chose to practise courage. It showed up 2 times this week.",
    ]


def test_the_same_week_in_dutch_names_values_in_dutch(nl):
    this_week, earlier, wish = typical_week()
    lines = compose(week_facts(2026, 47, this_week, earlier, nl, wish), nl, current=False)
    assert lines[0] == "Een terugblik op week 47."
    assert lines[1] == "Je keek naar 4 momenten op 3 dagen."
    assert lines[3] == "De waarden die je volgde: moed 2 keer, rust 1 keer en zorgzaamheid 1 keer."
    assert lines[-1] == "Vorige week koos je om moed te oefenen. Het kwam deze week 2 keer terug."


def test_the_same_data_gives_the_same_words(en):
    this_week, earlier, wish = typical_week()
    first = compose(week_facts(2026, 47, this_week, earlier, en, wish), en, current=True)
    again = compose(week_facts(2026, 47, list(this_week), [list(w) for w in earlier], en, replace(wish)),
                    en, current=True)
    assert first == again


def test_an_empty_week_gets_a_short_kind_message(en):
    facts = week_facts(2026, 47, [], [[] for _ in range(12)], en)
    assert (facts.moments, facts.days, facts.values, facts.quotes) == (0, 0, (), ())
    assert compose(facts, en, current=True) == [
        "Here is your week so far.",
        "I have no moments from you this week. That is perfectly all right; a small choice is "
        "worth a look whenever you feel like it."]


def test_a_single_answer_is_one_moment_with_no_comparison(en):
    answers = moment("2026-11-19T20:00:00+01:00", "s1", only=("situation",),
                     situation="I skipped the meeting to finish my own work")
    facts = week_facts(2026, 47, answers, [[]] * 12, en)
    assert (facts.moments, facts.days, facts.values, facts.authentic, facts.adapted) == (1, 1, (), 0, 0)
    assert facts.previous_moments is None and facts.new_values == ()
    assert compose(facts, en, current=True) == [
        "Here is your week so far.",
        "You looked at 1 moment on 1 day.",
        "In your own words:",
        '"I skipped the meeting to finish my own work"']


def test_all_choices_adapted_is_said_gently(en):
    answers = [*moment("2026-11-17T20:00:00+01:00", "s1", authentic=False),
               *moment("2026-11-18T20:00:00+01:00", "s2", authentic=False)]
    facts = week_facts(2026, 47, answers, [[]] * 12, en)
    assert (facts.authentic, facts.adapted) == (0, 2)
    assert en.summary["adapted_all"] in compose(facts, en, current=True)


def test_values_given_only_as_synonyms_are_named_by_their_value(en):
    """Stored before the pack knew these words (value null): the summary reads them again."""
    answers = [*moment("2026-11-17T20:00:00+01:00", "s1", value=None, said_value="I was brave"),
               *moment("2026-11-18T20:00:00+01:00", "s2", value=None, said_value="kindness"),
               *moment("2026-11-19T20:00:00+01:00", "s3", value=None, said_value="courageous")]
    facts = week_facts(2026, 47, answers, [[]] * 12, en)
    assert facts.values == (("courage", 2), ("care", 1))
    assert "The values you followed: courage 2 times and care 1 time." in compose(facts, en, current=True)


def test_fewer_and_as_many_as_the_week_before(en):
    two = [*moment("2026-11-17T20:00:00+01:00", "a"), *moment("2026-11-18T20:00:00+01:00", "b")]
    one = moment("2026-11-10T20:00:00+01:00", "c")
    three = [*one, *moment("2026-11-11T20:00:00+01:00", "d"), *moment("2026-11-12T20:00:00+01:00", "e")]
    assert "That is 1 fewer than the week before." in compose(week_facts(2026, 47, two, [three], en), en, True)
    assert "That is as many as the week before." in compose(
        week_facts(2026, 47, two, [[*one, *moment("2026-11-11T20:00:00+01:00", "d")]], en), en, True)


def test_an_intention_that_did_not_show_up_is_named_without_judging(en):
    answers = moment("2026-11-17T20:00:00+01:00", "a", value="calm")
    wish = intention("2026-11-15T20:00:00+01:00", "2026-W47", "honesty", "honesty")
    facts = week_facts(2026, 47, answers, [[]], en, wish)
    assert facts.intention.times == 0
    assert compose(facts, en, True)[-1] == en.summary["intention_missed"].format(value="honesty")


def test_an_intention_in_free_words_is_repeated(en):
    wish = intention("2026-11-15T20:00:00+01:00", "2026-W47", None, "going to bed on time. And more.")
    facts = week_facts(2026, 47, [], [[]], en, wish)
    assert compose(facts, en, True)[-1] == "Last week you set out to practise this: going to bed on time."


def test_unsure_or_short_answers_are_not_quoted(en):
    answers = [*moment("2026-11-17T20:00:00+01:00", "a", situation="the the mumble garble words here",
                       confidence=0.3, direction="Kind."),
               *moment("2026-11-18T20:00:00+01:00", "b", situation="Too short.", direction="Brief.")]
    assert week_facts(2026, 47, answers, [], en).quotes == ()
    answers[0] = replace(answers[0], confidence=0.95)  # the same words, heard surely, are quoted
    assert week_facts(2026, 47, answers, [], en).quotes == ("the the mumble garble words here",)


def test_a_quote_is_one_sentence_of_at_most_25_words():
    assert one_sentence("First part. Second part.") == "First part"
    long = " ".join(f"w{i}" for i in range(40))
    assert one_sentence(long) == " ".join(f"w{i}" for i in range(25)) + "…"
    assert one_sentence("Why not? Because.") == "Why not?"


def test_a_full_week_stays_under_about_200_words(en):
    answers = []
    long = " ".join(["and then I thought about it for a long time"] * 30)
    for day, value in zip(range(16, 23), ["respect", "clarity", "calm", "courage", "honesty",
                                          "care", "freedom"], strict=False):
        for number in (1, 2):
            answers += moment(f"2026-11-{day}T20:{number * 10}:00+01:00", f"s{day}", number,
                              value=value, authentic=number == 1, situation=long, direction=long)
    earlier = [moment("2026-11-10T20:00:00+01:00", "p", value="patience")] + [
        moment(f"2026-{9 + n // 4:02d}-{1 + n:02d}T20:00:00+02:00", f"o{n}", value="fairness")
        for n in range(11)]
    wish = intention("2026-11-15T20:00:00+01:00", "2026-W47", None, long)
    lines = compose(week_facts(2026, 47, answers, earlier, en, wish), en, current=False)
    assert word_count(lines) <= 200, lines
    assert [line for line in lines if line.startswith("The values")] == [
        "The values you followed: respect 2 times, clarity 2 times, calm 2 times, courage 2 times "
        "and honesty 2 times."]  # the five most frequent (ties in pack order)


def test_other_exercises_add_their_lines_where_the_summary_leaves_room(en, monkeypatch):
    from assistant.conversation import summary
    monkeypatch.setattr(summary, "EXERCISE_LINES", MappingProxyType(
        {"verzet": lambda answers, pack: [f"Tension noticed {len(answers)} times."]}))
    answers = [*moment("2026-11-17T20:00:00+01:00", "a"),
               replace(moment("2026-11-18T20:00:00+01:00", "b", only=("situation",))[0], script="verzet")]
    facts = week_facts(2026, 47, answers, [], en)
    assert facts.moments == 1  # the other exercise is not a compass moment
    assert compose(facts, en, True)[-1] == "Tension noticed 1 times."


def test_the_exercises_with_lines_of_their_own_are_fixed_in_one_place():
    from assistant.conversation import summary
    assert dict(summary.EXERCISE_LINES) == {"verzet": summary.verzet_lines}
    with pytest.raises(TypeError):
        summary.EXERCISE_LINES["dilemma"] = summary.verzet_lines  # type: ignore[index]


def test_week_facts_is_a_plain_value():
    assert WeekFacts.__dataclass_params__.frozen


@pytest.mark.parametrize("pack_name", ["en", "nl"])
def test_every_summary_line_of_the_shipped_packs_fills_in(pack_name, request):
    pack = request.getfixturevalue(pack_name)
    this_week, earlier, wish = typical_week()
    lines = compose(week_facts(2026, 47, this_week, earlier, pack, wish), pack, current=False)
    assert not any("{" in line or "}" in line for line in lines)
