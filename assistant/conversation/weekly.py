"""The weekly summary as a conversation: which week, its facts from the journal, speaking the
summary, and asking which value to practise next week (kept as that week's intention).

The talk itself only sees the Listener, Voice and Journal roles, like a reflection session, so
it is tested with fakes; the journal reading here is a few week files, whatever the history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from assistant.clock import iso, local_now
from assistant.conversation.asking import Outcome, Reply, as_text, ask, nothing_to_take_back
from assistant.conversation.dialogue import Answer, Heard, StoredAnswer, StoredSummary
from assistant.conversation.prompts import spoken
from assistant.conversation.roles import Journal, Listener, StoredWeeks, Voice
from assistant.conversation.session import new_session_id
from assistant.conversation.summary import (
    INTENTION_QUESTION,
    INTENTION_SCRIPT,
    LOOKBACK_WEEKS,
    WeekFacts,
    capitalised,
    week_facts,
)
from assistant.conversation.understand import normalise_value
from assistant.errors import InputExhausted, UserError
from assistant.faults import StorageFault, problem
from assistant.packs import Pack
from assistant.weeks import parse_week_name, week_name, week_of_date

if TYPE_CHECKING:  # ownvoice needs numpy: not imported where no recording is played
    from assistant.conversation.ownvoice import Clip

log = logging.getLogger(__name__)


def chosen_week(text: str | None, today: date) -> tuple[int, int]:
    """The ISO week asked for ("2026-W47"), or this week; a week not yet begun is refused."""
    if text is None:
        return week_of_date(today)
    parsed = parse_week_name(text.strip().upper())
    try:
        monday = date.fromisocalendar(*parsed, 1) if parsed else None
    except ValueError:
        monday = None
    if monday is None:
        raise UserError(f"--week {text}: expected an ISO week like {week_name(*week_of_date(today))}")
    assert parsed is not None  # else monday is None
    if monday > today:
        raise UserError(f"week {week_name(*parsed)} has not begun yet; "
                        f"this week is {week_name(*week_of_date(today))}")
    return parsed


def is_current(year: int, week: int, today: date) -> bool:
    return week_of_date(today) == (year, week)


def next_week(year: int, week: int) -> tuple[int, int]:
    return week_of_date(date.fromisocalendar(year, week, 1) + timedelta(days=7))


def intention_wanted(year: int, week: int, today: date) -> bool:
    """Next week's intention is asked for only while that next week has not ended yet."""
    following = date.fromisocalendar(*next_week(year, week), 1)
    return following + timedelta(days=7) > today


def gather_facts(journal: StoredWeeks, pack: Pack, year: int, week: int) -> WeekFacts:
    """Read this week, LOOKBACK_WEEKS before it, and the intention set for it."""
    monday = date.fromisocalendar(year, week, 1)
    earlier = [journal.week(*week_of_date(monday - timedelta(weeks=n)))
               for n in range(1, LOOKBACK_WEEKS + 1)]
    this_week = journal.week(year, week)
    return week_facts(year, week, this_week, earlier, pack,
                      intention_for(week_name(year, week), [*earlier[0], *this_week]))


def intention_for(name: str, answers: list[StoredAnswer]) -> StoredAnswer | None:
    """The latest intention answer set for week `name` (said in the week before it, or in it)."""
    found = [a for a in answers if a.script == INTENTION_SCRIPT
             and a.question_id == INTENTION_QUESTION and a.for_week == name]
    return max(found, key=lambda a: (a.started_at, a.id)) if found else None


def compose_week(journal: StoredWeeks, pack: Pack, year: int, week: int, now: datetime) -> list[str]:
    """Compose the week's summary and store it (so --replay says exactly this), before it is said."""
    return compose_stored(journal, pack, year, week, now).lines


def compose_stored(journal: StoredWeeks, pack: Pack, year: int, week: int, now: datetime) -> StoredSummary:
    """compose_week, giving the stored summary: its lines, and which lines quote which answer."""
    from assistant.conversation.summary import compose, quote_lines

    facts = gather_facts(journal, pack, year, week)
    lines = compose(facts, pack, current=is_current(year, week, now.date()))
    stored = replace(stored_summary(lines, pack, year, week, now), quotes=quote_lines(facts, lines, pack))
    try:
        journal.save_summary(year, week, stored)
    except StorageFault as fault:  # a read-only or full card: the summary is still worth hearing
        log.warning("%s: this summary is not stored, so --replay cannot say it again",
                    problem(fault.kind, fault.folder, fault.reason))
    return stored


def stored_summary(lines: list[str], pack: Pack, year: int, week: int, now: datetime) -> StoredSummary:
    return StoredSummary(week=week_name(year, week), lines=lines, language=pack.language,
                         composed_at=iso(now))


@dataclass
class TalkResult:
    intention_id: int | None = None
    intention_value: str | None = None


class WeeklyTalk:
    """Says the summary, then asks for next week's intention (when for_week is given) and keeps it.

    A command ends the question without an intention (skip, stop, later); repeat and help ask it
    again; silence once gets a gentler re-ask, twice lets it go. Nothing is stored without words.
    """

    def __init__(self, pack: Pack, lines: list[str], voice: Voice, journal: Journal,
                 listener: Listener | None = None, for_week: str | None = None,
                 reask_on_silence: bool = True, session_id: Callable[[], str] = new_session_id,
                 recordings: dict[int, Clip] | None = None) -> None:
        self._pack, self._lines, self._voice = pack, lines, voice
        self._recordings = recordings or {}  # line index -> the quote in their own voice
        self._journal, self._listener, self._for_week = journal, listener, for_week
        self._patient, self._session_id = reask_on_silence, session_id

    def prompts(self) -> list[str]:
        """Everything the talk may say, in order (rendered ahead, the first line first)."""
        say = self._pack.summary
        texts = [line for n, line in enumerate(self._lines) if n not in self._recordings]
        if self._asks:
            texts += [say[k] for k in ("ask_intention", "reask_intention", "no_intention")]
            texts += [self._pack.phrases[k] for k in ("nothing_to_undo", "nothing_to_restore")]
        texts.append(say["goodbye"])
        return [spoken(self._pack, t) for t in dict.fromkeys(texts)]

    @property
    def _asks(self) -> bool:
        return self._listener is not None and self._for_week is not None

    def run(self) -> TalkResult:
        self._voice.prepare(self.prompts())
        play = getattr(self._voice, "play_recording", None)
        for n, line in enumerate(self._lines):
            clip = self._recordings.get(n) if play is not None else None
            own = clip.pcm() if clip is not None else b""
            if own and play is not None:
                play(own, line)
            else:
                self._voice.say(line)
        result = TalkResult()
        if self._asks:
            result = self._ask_intention()
        self._voice.say(spoken(self._pack, self._pack.summary["goodbye"]))
        return result

    def _ask_intention(self) -> TalkResult:
        """Any words are the intention; nothing of this talk is kept before it, so undo and
        forget have nothing to take back (said, then asked again), as in a session before
        the first answer. Skip, stop and later end it without one."""
        say = self._pack.summary
        reask = spoken(self._pack, say["reask_intention"])
        assert self._listener is not None  # asked only with a listener (see _asks)
        reply: Reply[str] | None
        try:
            reply = ask(self._voice, self._listener, spoken(self._pack, say["ask_intention"]),
                        reask=reask, help=reask, tries=2 if self._patient else 1,
                        short_reply=True, understand=as_text,
                        keeps_asking=nothing_to_take_back(self._voice, self._pack))
        except InputExhausted:  # typed or replayed input ended: no intention this time
            reply = None
        if reply is None or reply.outcome is not Outcome.ANSWERED:
            self._voice.say(say["no_intention"])
            return TalkResult()
        return self._keep(reply.asked, reply.heard)

    def _keep(self, asked: str, heard: Heard) -> TalkResult:
        text = heard.text.strip()
        value = normalise_value(text, self._pack)
        answer = Answer(
            session_id=self._session_id(), script=INTENTION_SCRIPT, language=self._pack.language,
            moment=1, question_id=INTENTION_QUESTION, question=asked, transcript=text,
            confidence=heard.confidence, audio_seconds=round(heard.audio_seconds, 2),
            started_at=heard.started_at or iso(local_now()), ended_at=heard.ended_at or iso(local_now()),
            value=value, for_week=self._for_week)
        answer_id = self._journal.add(answer)
        say = self._pack.summary
        if value is not None:
            self._voice.say(capitalised(say["intention_kept"].format(value=self._pack.value_name(value))))
        else:
            self._voice.say(say["intention_noted"].format(text=text))
        return TalkResult(answer_id, value)

