"""The weeks behind a page: each week's facts, from the same functions as the spoken summary.

`gather` reads the journal once for the whole span (plus the weeks the summary looks back on),
then hands each week to summary.week_facts, so the page and the summary can never disagree.
Rendering is page.py's job; nothing here draws or writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from assistant.conversation.dialogue import StoredAnswer
from assistant.conversation.roles import StoredWeeks
from assistant.conversation.summary import (
    LOOKBACK_WEEKS,
    REFLECTION_SCRIPT,
    WeekFacts,
    question_kinds,
    quoted_answers,
    verzet_counts,
    week_facts,
)
from assistant.conversation.weekly import intention_for
from assistant.packs import Pack
from assistant.weeks import local_date, week_name, week_of, week_of_date

DEFAULT_WEEKS = 12
MAX_WEEKS = 1000       # about twenty years: a typo like --weeks 100000 is refused, not drawn
PAGE_QUOTES = 3        # "a few quotes" over the whole span, chosen like the summary's


@dataclass(frozen=True)
class Quote:
    text: str
    said_on: date


@dataclass(frozen=True)
class ReportWeek:
    year: int
    week: int
    monday: date
    facts: WeekFacts
    tension: int                 # "klein verzet": something did not sit right
    quiet: int                   # ... and was acted on quietly
    active: int                  # ... or actively
    summary_lines: tuple[str, ...]   # the summary stored for that week, as it was said


@dataclass(frozen=True)
class ReportData:
    weeks: tuple[ReportWeek, ...]    # oldest first
    quotes: tuple[Quote, ...]

    @property
    def empty(self) -> bool:
        return not any(w.facts.moments or w.tension or w.summary_lines for w in self.weeks)


def span(last: tuple[int, int], weeks: int) -> list[tuple[int, int]]:
    """The `weeks` ISO weeks ending with `last`, oldest first."""
    monday = date.fromisocalendar(*last, 1)
    return [week_of_date(monday - timedelta(weeks=n)) for n in range(weeks - 1, -1, -1)]


def gather(journal: StoredWeeks | None, pack: Pack, last: tuple[int, int], weeks: int = DEFAULT_WEEKS) -> ReportData:
    """Every week of the span with its facts; journal is None when nothing was ever stored."""
    shown = span(last, weeks)
    first_read = date.fromisocalendar(*shown[0], 1) - timedelta(weeks=LOOKBACK_WEEKS)
    until = date.fromisocalendar(*last, 7)
    answers = journal.answers(since=first_read, until=until) if journal else []
    by_week: dict[tuple[int, int], list[StoredAnswer]] = {}
    for answer in answers:
        by_week.setdefault(week_of(answer.started_at), []).append(answer)
    rows = tuple(_week(journal, pack, year, week, by_week) for year, week in shown)
    in_span = [a for y, w in shown for a in by_week.get((y, w), [])]
    return ReportData(rows, _page_quotes(in_span, pack))


def _week(journal: StoredWeeks | None, pack: Pack, year: int, week: int,
          by_week: dict[tuple[int, int], list[StoredAnswer]]) -> ReportWeek:
    monday = date.fromisocalendar(year, week, 1)
    earlier = [by_week.get(week_of_date(monday - timedelta(weeks=n)), [])
               for n in range(1, LOOKBACK_WEEKS + 1)]
    this_week = by_week.get((year, week), [])
    facts = week_facts(year, week, this_week, earlier, pack,
                       intention_for(week_name(year, week), [*earlier[0], *this_week]))
    stored = journal.summary(year, week) if journal else None
    return ReportWeek(year, week, monday, facts, *verzet_counts(this_week, pack),
                      tuple(stored.lines) if stored else ())


def _page_quotes(answers: list[StoredAnswer], pack: Pack) -> tuple[Quote, ...]:
    own = [a for a in answers if a.script == REFLECTION_SCRIPT]
    return tuple(Quote(text, local_date(answer.started_at))
                 for answer, text in quoted_answers(own, question_kinds(pack), PAGE_QUOTES))
