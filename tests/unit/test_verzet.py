""""klein verzet": the tension gate, the reflective circle, quiet or active resistance, and its
line in the weekly summary (session logic over fakes; the typed and spoken runs are elsewhere)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from unit_helpers import MemoryJournal, RecordingVoice, ScriptedEars, make_answer

from assistant.conversation.dialogue import Heard, StoredAnswer, Word
from assistant.conversation.session import Session, Status
from assistant.conversation.summary import verzet_lines
from assistant.conversation.understand import classify_resistance


def say(text: str) -> Heard:
    return Heard(text=text, words=tuple(Word(w, 0.9) for w in text.split()), audio_seconds=2.0,
                 started_at="2026-11-22T21:00:00+01:00", ended_at="2026-11-22T21:00:04+01:00")


def run(pack, turns, max_moments=1):
    voice, journal = RecordingVoice(), MemoryJournal()
    result = Session(pack, pack.script("verzet"), ScriptedEars(turns), voice, journal,
                     max_moments=max_moments, session_id=lambda: "v1").run()
    return result, voice.said, list(journal.rows.values())


CIRCLE = [say("I am the one who cares about the residents"), say("pressure to close tickets fast"),
          say("someone like me takes the time to listen"), say("I asked a question in the meeting"),
          say("relieved and a bit nervous")]


def test_no_tension_today_gets_a_short_kind_close(en):
    result, said, stored = run(en, [say("no")])
    script = en.script("verzet")
    assert result.status is Status.COMPLETED
    assert said == [script.greeting, script.questions[0].ask, script.gate_closing]
    assert [(a.question_id, a.transcript) for a in stored] == [("tension", "no")]


def test_silence_twice_at_the_gate_closes_kindly_too(en):
    _, said, stored = run(en, [Heard(), Heard()])
    assert said[-1] == en.script("verzet").gate_closing and stored == []


def test_tension_leads_through_the_circle_and_stores_quiet_resistance(en):
    result, said, stored = run(en, [say("yes"), *CIRCLE])
    assert result.status is Status.COMPLETED and said[-1] == en.script("verzet").closing
    assert [a.question_id for a in stored] == ["tension", "who", "situation", "like_me", "acted", "effect"]
    assert {a.question_id: a.resistance for a in stored}["acted"] == "quiet"
    assert all(a.script == "verzet" for a in stored)


@pytest.mark.parametrize("text, kind", [
    ("quietly, I asked a question", "quiet"), ("I took a pause before answering", "quiet"),
    ("I spoke up in the meeting", "active"), ("I challenged the decision and proposed another way", "active"),
    ("no, I went along with it", "none"), ("not this time", "none"), ("I am not sure", None)])
def test_resistance_in_english(en, text, kind):
    assert classify_resistance(text, en) == kind


@pytest.mark.parametrize("text, kind", [
    ("stil, ik heb een vraag gesteld", "quiet"), ("ik heb het op mijn eigen manier gedaan", "quiet"),
    ("ik heb me uitgesproken", "active"), ("ik heb het besluit aangevochten", "active"),
    ("nee, ik ben meegegaan", "none"), ("geen idee", None)])
def test_resistance_in_dutch(nl, text, kind):
    assert classify_resistance(text, nl) == kind


def answers(pack, *moments):
    """A week of verzet moments: (what was said at the gate, how they acted or None)."""
    found = []
    for n, (gate, acted) in enumerate(moments):
        base = dict(session_id=f"v{n}", script="verzet", started_at=f"2026-11-1{7 + n}T21:00:00+01:00",
                    ended_at=f"2026-11-1{7 + n}T21:00:00+01:00")
        found.append(StoredAnswer(id=1, **asdict(make_answer(question_id="tension", transcript=gate, **base))))
        if acted:
            found.append(StoredAnswer(id=2, **asdict(make_answer(question_id="acted", transcript=acted,
                                                        resistance=classify_resistance(acted, pack),
                                                        **base))))
    return found


def test_the_summary_counts_tension_and_quiet_versus_active(en):
    week = answers(en, ("yes", "quietly"), ("yes", "I spoke up"), ("no", None), ("yes", "quietly, a pause"))
    assert verzet_lines(week, en) == ["Something did not sit right 3 times this week.",
                                      "You acted on it quietly 2 times and actively 1 time."]


def test_a_week_without_tension_adds_no_line(en):
    assert verzet_lines(answers(en, ("no", None)), en) == [] and verzet_lines([], en) == []
