"""Made-up journals of any length for the page of the weeks (unit, browser test and bench).

Deterministic (a seeded random): compass moments on some evenings with a value and whether it
felt like one's own choice, a "klein verzet" now and then, an intention set at each week's end,
and optionally each week's summary composed by the real composer and stored.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from assistant.conversation.dialogue import Answer
from assistant.weeks import week_name, week_of_date

VALUES = ("courage", "calm", "care", "honesty", "respect")
SITUATIONS = (
    "At work a colleague asked me to take over her report and I said no kindly",
    "My neighbour needed help with the shopping and I went with her after dinner",
    "In the meeting I told the team that the plan did not feel right to me",
    "I stayed calm when my son forgot his keys for the third time this week",
)
ZONE = timezone(timedelta(hours=1))  # fixed, so golden files do not depend on the machine's zone
UNSAFE = ('Today I finally wrote <script>alert("x")</script> & <b>bold</b> in my notes, because the '
          'meeting had gone so badly and I wanted to remember every part of it')


def _at(day: date, hour: int, minute: int) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).isoformat()


def moment(day: date, session: str, number: int, value: str, own: bool, situation: str,
           language: str = "en") -> list[Answer]:
    """One compass moment, a minute per question."""
    texts = (("situation", situation, None, None), ("value", value, value, None),
             ("choice", "I chose to say what I thought", None, None),
             ("effect", "Tired but glad about it", None, None),
             ("authentic", "my own" if own else "others", None, own),
             ("direction", "Someone who stays honest", None, None))
    minute = 10 * number
    return [Answer(session_id=session, script="compass", language=language, moment=number,
                   question_id=q, question=q, transcript=t, confidence=0.9, audio_seconds=5.0,
                   started_at=_at(day, 20, minute + n), ended_at=_at(day, 20, minute + n),
                   value=v, authentic=a) for n, (q, t, v, a) in enumerate(texts)]


def verzet(day: date, session: str, way: str, language: str = "en") -> list[Answer]:
    said = {"quiet": "I asked a question", "active": "I spoke up", "none": "not this time"}[way]
    return [Answer(session_id=session, script="verzet", language=language, moment=1, question_id=q,
                   question=q, transcript=t, confidence=0.9, audio_seconds=3.0,
                   started_at=_at(day, 21, n), ended_at=_at(day, 21, n), resistance=r)
            for n, (q, t, r) in enumerate((("tension", "yes", None), ("acted", said, way)))]


def intention(day: date, value: str, language: str = "en") -> Answer:
    for_week = week_name(*week_of_date(day + timedelta(days=7)))
    return Answer(session_id=f"i-{day}", script="summary", language=language, moment=1,
                  question_id="intention", question="intention", transcript=value, confidence=0.9,
                  audio_seconds=2.0, started_at=_at(day, 19, 45), ended_at=_at(day, 19, 45),
                  value=value, for_week=for_week)


def journal_answers(last_monday: date, weeks: int, seed: int = 14, unsafe: bool = False) -> list[Answer]:
    """`weeks` weeks of answers ending with the week of last_monday."""
    rng, found = random.Random(seed), []
    for n in range(weeks - 1, -1, -1):
        monday = last_monday - timedelta(weeks=n)
        for d in range(7):
            day = monday + timedelta(days=d)
            if rng.random() < 0.45:
                for m in range(1, rng.choice((1, 1, 2)) + 1):
                    found += moment(day, f"s{day}", m, rng.choice(VALUES), rng.random() < 0.7,
                                    rng.choice(SITUATIONS))
            if rng.random() < 0.12:
                found += verzet(day, f"v{day}", rng.choice(("quiet", "active", "none")))
        found.append(intention(monday + timedelta(days=6), rng.choice(VALUES)))
    if unsafe:  # the last week's first situation: long enough to be quoted
        n = next(i for i, a in reversed(list(enumerate(found)))
                 if a.question_id == "situation" and a.script == "compass")
        found[n] = Answer(**{**found[n].__dict__, "transcript": UNSAFE})
    return found


def store_summaries(journal, pack, last_monday: date, weeks: int) -> None:
    """Compose and store each week's summary, as `assistant summary` would have on its Sunday."""
    from assistant.conversation.weekly import compose_week

    for n in range(weeks - 1, -1, -1):
        monday = last_monday - timedelta(weeks=n)
        sunday = datetime(monday.year, monday.month, monday.day, 19, 30, tzinfo=ZONE) + timedelta(days=6)
        compose_week(journal, pack, *week_of_date(monday), sunday)
