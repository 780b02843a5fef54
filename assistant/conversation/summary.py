"""The weekly summary: facts of one ISO week from stored answers, then sentences from the pack.

Both steps are plain functions of their inputs (the answers, the pack, whether the week is still
running), so the same data always gives the same words and every fact is tested on made-up weeks.
Reading the journal is the caller's job (weekly.py); nothing here touches a file or a clock.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from assistant.conversation.dialogue import Kind, StoredAnswer
from assistant.conversation.understand import (
    classify_authentic,
    classify_resistance,
    match_yes_no,
    normalise_value,
)
from assistant.names import ScriptName
from assistant.packs import Pack
from assistant.weeks import local_date

REFLECTION_SCRIPT = ScriptName.COMPASS  # the values exercise whose moments the summary counts
INTENTION_SCRIPT = ScriptName.SUMMARY   # answers given during a summary (next week's intention)
INTENTION_QUESTION = "intention"
LOOKBACK_WEEKS = 12                # how far back a value counts as "back after a while"
MAX_VALUES = 5                     # values named, most frequent first
MAX_CHANGES = 3                    # new or returning values named
MAX_QUOTES = 2
QUOTE_WORDS = 25                   # a quote longer than this is cut (transcripts have no full stops)
QUOTE_MIN_WORDS = 4                # shorter answers are not "substantial"
QUOTE_MIN_CONFIDENCE = 0.6         # below this a transcript is too unsure to repeat as their words

Answers = list[StoredAnswer]
Kinds = dict[tuple[str, str], Kind]   # (script, question id) -> kind: question_kinds(pack)
Ranked = tuple[tuple[str, int], ...]  # (value key, moments), most frequent first


@dataclass(frozen=True)
class Intention:
    """The value set for this week during the previous summary, and how often it showed up."""

    value: str | None      # value key, or None when what was said names no known value
    text: str              # what the person said
    times: int             # moments of this week that followed that value


@dataclass(frozen=True)
class WeekFacts:
    year: int
    week: int
    moments: int
    days: int
    values: tuple[tuple[str, int], ...]        # (value key, moments), most frequent first
    authentic: int
    adapted: int
    previous_moments: int | None               # None: nothing stored before to compare with
    new_values: tuple[str, ...]                # never followed in the weeks looked back on
    returned_values: tuple[str, ...]           # not last week, but earlier
    quotes: tuple[str, ...]
    intention: Intention | None
    exercise_lines: tuple[str, ...] = ()       # from other exercises (see EXERCISE_LINES)
    quote_ids: tuple[int, ...] = ()            # the answer each quote is from (its recording)


def verzet_counts(answers: Answers, pack: Pack) -> tuple[int, int, int]:
    """"klein verzet" of a week: (times something did not sit right, acted quietly, actively)."""
    if ScriptName.VERZET not in pack.scripts:
        return 0, 0, 0
    kinds = {q.id: q.kind for q in pack.script(ScriptName.VERZET).questions}
    own = [a for a in answers if a.script == ScriptName.VERZET]
    gates = [a for a in own if kinds.get(a.question_id) is Kind.GATE]
    tension = sum(1 for a in gates if match_yes_no(a.transcript, pack) is not False)
    ways = [a.resistance or classify_resistance(a.transcript, pack)
            for a in own if kinds.get(a.question_id) is Kind.RESISTANCE]
    return tension, ways.count("quiet"), ways.count("active")


def verzet_lines(answers: Answers, pack: Pack) -> list[str]:
    """"klein verzet": how often something did not sit right, and how it was acted on."""
    tension, quiet, active = verzet_counts(answers, pack)
    if not tension:
        return []
    say = pack.summary
    lines = [say["verzet_tension"].format(count=pack.counted(tension, "time"))]
    if quiet or active:
        lines.append(say["verzet_acted"].format(quiet=pack.counted(quiet, "time"),
                                                active=pack.counted(active, "time")))
    return lines


# Other exercises' own lines in the summary: script name -> function of that script's answers
# this week and the pack, giving sentences. The values compass is the summary's main subject
# (week_facts); an exercise that wants a say is added here, the one place, not from elsewhere at
# import time, and nothing changes it afterwards.
EXERCISE_LINES: Mapping[str, Callable[[Answers, Pack], list[str]]] = MappingProxyType({
    ScriptName.VERZET: verzet_lines,
})


def week_facts(year: int, week: int, answers: Answers, earlier: list[Answers], pack: Pack,
               intention: StoredAnswer | None = None) -> WeekFacts:
    """The facts of one week.

    `answers` are the week's stored answers; `earlier` the answers of the weeks before it, the
    previous week first (up to LOOKBACK_WEEKS); `intention` the stored intention answer set for
    this week, if any.
    """
    kinds = _question_kinds(pack)
    own = [a for a in answers if a.script == REFLECTION_SCRIPT]
    ranked = _ranked_values(own, kinds, pack)
    previous, new, returned = _against_earlier(ranked, earlier, kinds, pack)
    authentic = [_authentic_of(a, kinds, pack) for a in own]
    quoted = quoted_answers(own, kinds)
    return WeekFacts(
        year=year, week=week,
        moments=_moments(answers),
        days=len({local_date(a.started_at) for a in own}),
        values=ranked,
        authentic=authentic.count(True),
        adapted=authentic.count(False),
        previous_moments=previous, new_values=new, returned_values=returned,
        quotes=tuple(text for _, text in quoted),
        quote_ids=tuple(int(a.id) for a, _ in quoted),
        intention=_intention(intention, ranked, pack),
        exercise_lines=_exercise_lines(answers, pack),
    )


def _against_earlier(ranked: Ranked, earlier: list[Answers], kinds: Kinds,
                     pack: Pack) -> tuple[int | None, tuple[str, ...], tuple[str, ...]]:
    """The week against the weeks looked back on: last week's moments (None with nothing stored
    before), the values followed for the first time, and those back after a while."""
    seen_before = [set(_values_of(w, kinds, pack)) for w in earlier]
    last_week = seen_before[0] if seen_before else set()
    any_before = set().union(*seen_before) if seen_before else set()
    history = any(_moments(w) for w in earlier)
    previous = _moments(earlier[0]) if history else None
    new = tuple(k for k, _ in ranked if history and k not in any_before)[:MAX_CHANGES]
    returned = tuple(k for k, _ in ranked if k in any_before and k not in last_week)[:MAX_CHANGES]
    return previous, new, returned


def _exercise_lines(answers: Answers, pack: Pack) -> tuple[str, ...]:
    """The other exercises' own lines (EXERCISE_LINES), each from its script's answers."""
    return tuple(line for script, lines_of in sorted(EXERCISE_LINES.items())
                 for line in lines_of([a for a in answers if a.script == script], pack))


def compose(facts: WeekFacts, pack: Pack, current: bool) -> list[str]:
    """The summary as sentences, one per spoken line; at most about 200 words."""
    say = pack.summary
    lines = [say["opening_current"] if current else say["opening_past"].format(week=facts.week)]
    if not facts.moments:
        lines += [] if facts.exercise_lines else [say["empty"]]
    else:
        lines.append(say["moments"].format(moments=pack.counted(facts.moments, "moment"),
                                           days=pack.counted(facts.days, "day")))
        lines += _change(facts, pack)
        if facts.values:
            named = [f"{pack.value_name(k)} {pack.counted(n, 'time')}" for k, n in facts.values[:MAX_VALUES]]
            lines.append(say["values"].format(values=pack.joined(named)))
        if facts.new_values:
            lines.append(say["new_values"].format(values=_names(facts.new_values, pack)))
        if facts.returned_values:
            lines.append(say["returned_values"].format(values=_names(facts.returned_values, pack)))
        lines += _authenticity(facts, pack)
        if facts.quotes:
            lines.append(say["quotes"])
            lines += [say["quote"].format(text=q) for q in facts.quotes]
    lines += _intention_line(facts.intention, pack)
    lines += facts.exercise_lines
    return [capitalised(line) for line in lines]


def quote_lines(facts: WeekFacts, lines: list[str], pack: Pack) -> list[list[int]]:
    """[line index, answer id] of each quote in the composed lines (to play its recording)."""
    found, after = [], 0
    for text, answer_id in zip(facts.quotes, facts.quote_ids, strict=False):
        line = capitalised(pack.summary["quote"].format(text=text))
        if line in lines[after:]:
            after = lines.index(line, after) + 1
            found.append([after - 1, answer_id])
    return found


def word_count(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def question_kinds(pack: Pack) -> Kinds:
    """(script, question id) -> kind, for every question of the pack."""
    return _question_kinds(pack)


def _question_kinds(pack: Pack) -> Kinds:
    return {(s.name, q.id): q.kind for s in pack.scripts.values() for q in s.questions}


def _kind(answer: StoredAnswer, kinds: Kinds) -> Kind | None:
    return kinds.get((answer.script, answer.question_id))


def _moments(answers: Answers) -> int:
    return len({(a.session_id, a.moment) for a in answers if a.script == REFLECTION_SCRIPT})


def _values_of(answers: Answers, kinds: Kinds, pack: Pack) -> list[str]:
    """The value key of every value answer, in order; a stored key wins over re-reading the words.

    Re-reading catches answers stored before the pack knew a synonym.
    """
    found = []
    for answer in answers:
        if answer.script != REFLECTION_SCRIPT:
            continue
        key = answer.value
        if key is None and _kind(answer, kinds) is Kind.VALUE:
            key = normalise_value(answer.transcript, pack)
        if key:
            found.append(key)
    return found


def _ranked_values(answers: Answers, kinds: Kinds, pack: Pack) -> Ranked:
    """Most frequent first; ties in the pack's order, so the same week reads the same."""
    counts = Counter(_values_of(answers, kinds, pack))
    order = {v.key: i for i, v in enumerate(pack.values)}
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0])))


def _authentic_of(answer: StoredAnswer, kinds: Kinds, pack: Pack) -> bool | None:
    if answer.authentic is not None:
        return bool(answer.authentic)
    if _kind(answer, kinds) is Kind.AUTHENTIC:
        return classify_authentic(answer.transcript, pack)
    return None


def quoted_answers(answers: Answers, kinds: Kinds,
                   limit: int = MAX_QUOTES) -> list[tuple[StoredAnswer, str]]:
    """The most substantial open answers (most words), each cut to one sentence, in time order.

    With the answer each quote comes from, so its own recording can be played (and a page can
    date it); `kinds` is question_kinds(pack).
    """
    candidates = []
    for n, answer in enumerate(answers):
        text = " ".join(answer.transcript.split())
        confidence = answer.confidence
        if (_kind(answer, kinds) not in (Kind.TEXT, None) or len(text.split()) < QUOTE_MIN_WORDS
                or (confidence is not None and confidence < QUOTE_MIN_CONFIDENCE)):
            continue
        candidates.append((-len(text.split()), answer.started_at, answer.id, n, text))
    chosen = sorted(sorted(candidates)[:limit], key=lambda c: (c[1], c[2], c[3]))
    return [(answers[n], one_sentence(text)) for *_, n, text in chosen]


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def one_sentence(text: str, limit: int = QUOTE_WORDS) -> str:
    """The first sentence, without its closing full stop, at most `limit` words (then '…')."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    words = first.split()
    if len(words) > limit:
        return " ".join(words[:limit]) + "…"
    return first.rstrip(".")


def _intention(answer: StoredAnswer | None, ranked: Ranked, pack: Pack) -> Intention | None:
    if answer is None:
        return None
    text = answer.transcript.strip()
    key = answer.value or normalise_value(text, pack)
    return Intention(key, text, dict(ranked).get(key, 0) if key else 0)


def _change(facts: WeekFacts, pack: Pack) -> list[str]:
    if facts.previous_moments is None:
        return []
    difference = facts.moments - facts.previous_moments
    if difference == 0:
        return [pack.summary["same"]]
    word = "more" if difference > 0 else "fewer"
    return [pack.summary[word].format(count=abs(difference))]


def _authenticity(facts: WeekFacts, pack: Pack) -> list[str]:
    say = pack.summary
    if facts.authentic and not facts.adapted:
        return [say["authentic_all"]]
    if facts.adapted and not facts.authentic:
        return [say["adapted_all"]]
    if facts.authentic and facts.adapted:
        return [say["authentic_mixed"].format(authentic=pack.counted(facts.authentic, "time"),
                                              adapted=pack.counted(facts.adapted, "time"))]
    return []


def _intention_line(intention: Intention | None, pack: Pack) -> list[str]:
    say = pack.summary
    if intention is None:
        return []
    if intention.value is None:
        return [say["intention_text"].format(text=one_sentence(intention.text))] if intention.text else []
    name = pack.value_name(intention.value)
    if intention.times:
        return [say["intention_met"].format(value=name, count=pack.counted(intention.times, "time"))]
    return [say["intention_missed"].format(value=name)]


def _names(keys: tuple[str, ...], pack: Pack) -> str:
    return pack.joined([pack.value_name(k) for k in keys])


def capitalised(line: str) -> str:
    """Lines can start with a value name ("moed, afgesproken"); sentences start with a capital."""
    for i, char in enumerate(line):
        if char.isalpha():
            return line[:i] + char.upper() + line[i + 1:]
    return line
