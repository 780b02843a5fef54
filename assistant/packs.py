"""Language packs: every word the device says or listens for, per language, as TOML data.

Adding a language is adding a file; a test adds a Korean pack through config alone.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TypeAlias

from assistant import paths
from assistant.conversation.dialogue import Command, Kind, Question
from assistant.errors import UserError
from assistant.names import SCHEDULED, DilemmaQuestion

Table: TypeAlias = dict[str, Any]  # a TOML table as tomllib reads it: checked field by field

PHRASES = ("greeting", "reask", "skipped", "cap_notice", "another_moment", "next_moment",
           "closing", "stopped", "later", "undone", "forgotten", "nothing_to_undo", "examples",
           "list_or", "good_moment", "good_moment_summary", "earlier_notes", "confirm_forget",
           "not_forgotten", "restored", "nothing_to_restore",
           "not_kept")  # not_kept: some answers could not be written (a full or read-only card)
SUMMARY_PHRASES = ("opening_current", "opening_past", "empty", "moments", "values", "new_values",
                   "returned_values", "authentic_all", "adapted_all", "authentic_mixed", "more",
                   "fewer", "same", "quotes", "quote", "intention_met", "intention_missed",
                   "intention_text", "ask_intention", "reask_intention", "intention_kept",
                   "intention_noted", "no_intention", "goodbye", "list_and", "verzet_tension",
                   "verzet_acted")
SUMMARY_NOUNS = ("moment", "day", "time", "answer")  # each [one, many]: "1 day", "3 days"
_TOP = {"language", "name", "espeak_voice", "piper_voice", "model", "phrases", "commands", "answers",
        "authentic", "values", "scripts", "summary", "wake", "resistance", "dilemma", "report"}
RESISTANCE = ("quiet", "active", "none")
DILEMMA_TEXTS = ("summary", "confirm", "which_names", "kept", "dropped", "family_known",
                 "sheet_title", "sheet_intro", "family_heading", "scenario", "scenario_strategy",
                 "consensus", "to_board", "board_empty", "ballot_title", "ballot_intro", "ballot_vote",
                 "label_situation", "label_goals", "label_options", "label_last_time",
                 "not_read", "redacted")
KEEP = "keep"  # after the wake phrase: "what do you keep?" is answered there and then
WAKE_ACTIONS = (*SCHEDULED, KEEP)  # what can follow the wake phrase
WAKE_TEXTS = ("reply", "unclear", "keep_reply", "keep_audio")
REPORT_TEXTS = ("title", "period", "made", "private", "empty", "moments_heading", "moments_label",
                "days_label", "values_heading", "values_none", "value_column", "total_column",
                "authentic_heading", "authentic_label", "adapted_label", "share_label",
                "intention_heading", "intention_met", "intention_missed", "intention_none",
                "verzet_heading", "tension_label", "quiet_label", "active_label", "verzet_none",
                "quotes_heading", "weeks_heading", "week", "week_short", "week_column",
                "no_summary", "date")


@dataclass(frozen=True)
class Value:
    key: str                     # the same in every language: what the journal stores
    name: str                    # how this language says it
    synonyms: tuple[str, ...]
    example: bool = True         # offered as an example when someone asks for help


@dataclass(frozen=True)
class Script:
    name: str
    title: str
    questions: tuple[Question, ...]
    greeting: str = ""   # instead of the pack's greeting (a short daytime prompt has its own)
    closing: str = ""    # instead of the pack's closing, when the script is completed
    gate_closing: str = ""  # said when a gate question is answered no: a short, kind close
    shared: bool = False    # made to be shared (a workshop dilemma): read back and confirmed first


@dataclass(frozen=True)
class Wake:
    phrases: tuple[str, ...]                  # said while the device is idle
    actions: Mapping[str, tuple[str, ...]]    # WAKE_ACTIONS or a script name -> what may be said
    texts: Mapping[str, str]                  # WAKE_TEXTS -> what the device says


@dataclass(frozen=True)
class Pack:
    language: str
    name: str
    espeak_voice: str
    model: str                   # Vosk model folder name for this language
    phrases: Mapping[str, str]
    commands: Mapping[Command, tuple[str, ...]]
    polite: tuple[str, ...]                    # may stand beside a command: "stop please"
    yes: tuple[str, ...]
    no: tuple[str, ...]
    authentic: tuple[str, ...]
    adapted: tuple[str, ...]
    values: tuple[Value, ...]
    scripts: Mapping[str, Script]
    summary: Mapping[str, str]                 # the weekly summary's sentences
    nouns: Mapping[str, tuple[str, str]]       # counted nouns, singular and plural
    wake: Wake
    resistance: Mapping[str, tuple[str, ...]]  # RESISTANCE -> words that say it
    dilemma: Mapping[str, str]                 # DILEMMA_TEXTS: read-back, confirmation, sheets
    without_names: tuple[str, ...]             # "keep it, but leave out the names"
    report: Mapping[str, str]                  # REPORT_TEXTS: the page of the weeks
    months: tuple[str, ...]                    # the twelve month names, for dates on that page
    function_words: tuple[str, ...] = ()       # de, van, the: never left out on their own
    piper_voice: str = ""                      # its natural voice (`assistant voice download`)

    def script(self, name: str) -> Script:
        if name not in self.scripts:
            raise UserError(f"language pack '{self.language}' has no script '{name}'; "
                            f"choose one of: {', '.join(self.scripts)}")
        return self.scripts[name]

    def value_name(self, key: str) -> str:
        """How this language says a stored value key (the key itself when the pack lacks it)."""
        return next((v.name for v in self.values if v.key == key), key)

    def counted(self, count: int, noun: str) -> str:
        """'1 day', '3 days': a number with the noun in the right form."""
        one, many = self.nouns[noun]
        return f"{count} {one if count == 1 else many}"

    def joined(self, items: list[str]) -> str:
        """'calm, care and courage' in this language."""
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.summary['list_and']} {items[-1]}"

    def value_names(self) -> str:
        """The example values as one spoken list: 'respect, calm or care'."""
        names = [v.name for v in self.values if v.example]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self.phrases['list_or']} {names[-1]}"

    def listen_phrases(self) -> tuple[str, ...]:
        """Everything a short utterance may be recognised as in grammar mode."""
        found = [p for phrases in self.commands.values() for p in phrases]
        found += [*self.yes, *self.no, *self.authentic, *self.adapted]
        found += [*self.without_names, *self.polite]
        return tuple(dict.fromkeys(found))


def pack_dirs(extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    return (*extra, paths.shipped_config_dir() / "lang")


def available_languages(extra: tuple[Path, ...] = ()) -> list[str]:
    return sorted({f.stem for d in pack_dirs(extra) if d.is_dir() for f in d.glob("*.toml")})


def load_pack(language: str, extra: tuple[Path, ...] = ()) -> Pack:
    """Find <language>.toml in the extra dirs first, then the shipped packs."""
    for folder in pack_dirs(extra):
        file = folder / f"{language}.toml"
        if file.is_file():
            return parse_pack(file)
    known = ", ".join(available_languages(extra)) or "none"
    raise UserError(f"no language pack '{language}' (looked in {', '.join(map(str, pack_dirs(extra)))}); "
                    f"use one of: {known}, or add {language}.toml to a folder in lang_dirs")


def parse_pack(file: Path) -> Pack:
    """Read one pack file, checked whole: every complaint names the file and the key.

    The tables are checked for unknown keys first, then each field in the order of Pack, so a
    pack with several mistakes always names the same one first.
    """
    data = _read_toml(file)
    reader = _Reader(file)
    reader.only(data, _TOP, "")
    tables = _tables(reader, data)
    return Pack(
        language=reader.text(data, "language", ""),
        name=reader.text(data, "name", ""),
        espeak_voice=reader.text(data, "espeak_voice", ""),
        model=reader.text(data, "model", ""),
        phrases=reader.texts(tables.phrases, PHRASES, "phrases."),
        commands=MappingProxyType({c: reader.words(tables.commands, c.value, "commands.") for c in Command}),
        polite=reader.words(tables.commands, "polite", "commands.") if "polite" in tables.commands else (),
        yes=reader.words(tables.answers, "yes", "answers."),
        no=reader.words(tables.answers, "no", "answers."),
        authentic=reader.words(tables.authentic, "authentic", "authentic."),
        adapted=reader.words(tables.authentic, "adapted", "authentic."),
        values=tuple(reader.value(v, i) for i, v in enumerate(reader.items(data, "values", ""))),
        scripts=MappingProxyType({name: reader.script(name, body)
                                  for name, body in reader.section(data, "scripts", "").items()}),
        summary=reader.texts(tables.summary, SUMMARY_PHRASES, "summary."),
        nouns=MappingProxyType({k: reader.pair(tables.summary, k, "summary.") for k in SUMMARY_NOUNS}),
        wake=reader.wake(tables.wake, tables.scripts),
        resistance=reader.word_lists(tables.resistance, RESISTANCE, "resistance."),
        dilemma=reader.texts(tables.dilemma, DILEMMA_TEXTS, "dilemma."),
        without_names=reader.words(tables.dilemma, "without_names", "dilemma."),
        function_words=reader.words(tables.dilemma, "function_words", "dilemma."),
        report=reader.texts(tables.report, REPORT_TEXTS, "report."),
        months=reader.months(tables.report),
        piper_voice=reader.text(data, "piper_voice", "") if "piper_voice" in data else "",
    )


def _read_toml(file: Path) -> Table:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{file}: not valid TOML ({error}); fix the syntax") from None


class _Tables(NamedTuple):
    """The pack's tables, each present and holding only the keys it may hold."""

    phrases: Table
    commands: Table
    answers: Table
    authentic: Table
    summary: Table
    scripts: Table  # only its names, for the wake table; checked in full as the scripts are read
    wake: Table
    resistance: Table
    dilemma: Table
    report: Table


def _tables(reader: _Reader, data: Table) -> _Tables:
    phrases = reader.table(data, "phrases", PHRASES)
    commands = reader.table(data, "commands", (*(c.value for c in Command), "polite"))
    answers = reader.table(data, "answers", ("yes", "no"))
    authentic = reader.table(data, "authentic", ("authentic", "adapted"))
    summary = reader.table(data, "summary", (*SUMMARY_PHRASES, *SUMMARY_NOUNS))
    scripts: Table = data["scripts"] if isinstance(data.get("scripts"), dict) else {}
    wake = reader.table(data, "wake", ("phrase", *WAKE_ACTIONS, *WAKE_TEXTS, *scripts))
    resistance = reader.table(data, "resistance", RESISTANCE)
    dilemma = reader.table(data, "dilemma", (*DILEMMA_TEXTS, "without_names", "function_words"))
    report = reader.table(data, "report", (*REPORT_TEXTS, "months"))
    return _Tables(phrases, commands, answers, authentic, summary, scripts, wake, resistance,
                   dilemma, report)


# The {placeholders} each text may hold, as the code fills them in: `session.spoken` puts the
# example values in for {values} in everything a session or the weekly talk says through it;
# the others are filled by str.format where that text is said (summary.py, weekly.py, device.py,
# dilemma.py). A text not named here may hold none.
_SPOKEN = frozenset({"values"})
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "phrases.reask": frozenset({"question", "values"}),
    "phrases.earlier_notes": frozenset({"notes"}),
    "phrases.undone": frozenset({"answer", "values"}),
    "summary.opening_past": frozenset({"week"}),
    "summary.moments": frozenset({"moments", "days"}),
    "summary.values": frozenset({"values"}),
    "summary.new_values": frozenset({"values"}),
    "summary.returned_values": frozenset({"values"}),
    "summary.authentic_mixed": frozenset({"authentic", "adapted"}),
    "summary.more": frozenset({"count"}),
    "summary.fewer": frozenset({"count"}),
    "summary.quote": frozenset({"text"}),
    "summary.intention_met": frozenset({"value", "count"}),
    "summary.intention_missed": frozenset({"value"}),
    "summary.intention_text": frozenset({"text"}),
    "summary.intention_kept": frozenset({"value"}),
    "summary.intention_noted": frozenset({"text"}),
    "summary.verzet_tension": frozenset({"count"}),
    "summary.verzet_acted": frozenset({"quiet", "active"}),
    "summary.ask_intention": _SPOKEN,
    "summary.reask_intention": _SPOKEN,
    "summary.goodbye": _SPOKEN,
    "wake.keep_reply": frozenset({"answers", "days"}),
    "wake.keep_audio": frozenset({"answers", "days"}),
    "report.period": frozenset({"first", "last"}),
    "report.made": frozenset({"date", "time"}),
    "report.intention_met": frozenset({"count"}),
    "report.week": frozenset({"week"}),
    "report.week_short": frozenset({"week"}),
    "report.date": frozenset({"day", "month", "year"}),
    "dilemma.summary": frozenset(DilemmaQuestion),
    "dilemma.family_known": frozenset({DilemmaQuestion.FAMILY}),
    "dilemma.not_read": frozenset({"parts"}),
}


def allowed_placeholders(key: str) -> frozenset[str]:
    """What {…} the text at this key may hold: other phrases and a script's texts get {values}."""
    if key in PLACEHOLDERS:
        return PLACEHOLDERS[key]
    if key.startswith("phrases.") or (key.startswith("scripts.") and not key.endswith(".title")
                                      and not key.endswith("].id")):
        return _SPOKEN
    return frozenset()


def check_placeholders(file: Path, key: str, text: str) -> None:
    """A misspelt {qestion} is refused when the pack loads, instead of being said aloud."""
    allowed = allowed_placeholders(key)
    what = ", ".join("{" + p + "}" for p in sorted(allowed)) or "none"
    try:
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        raise UserError(f"{file}: {key}: a lone '{{' or '}}'; placeholders allowed here: {what}") from None
    for field in sorted(used):
        if field not in allowed:
            raise UserError(f"{file}: {key}: unknown placeholder {{{field}}}; allowed here: {what}")


class _Reader:
    """Pulls typed fields out of a pack, naming the file and key in every complaint."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, key: str, expected: str) -> UserError:
        return UserError(f"{self.file}: {key}: expected {expected}")

    def only(self, table: Table, allowed: Collection[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                raise UserError(f"{self.file}: unknown key '{prefix}{key}'; known: {', '.join(sorted(allowed))}")

    def section(self, table: Table, key: str, prefix: str) -> Table:
        value = table.get(key)
        if not isinstance(value, dict) or not value:
            raise self.fail(prefix + key, "a table")
        return value

    def table(self, data: Table, key: str, required: Collection[str]) -> Table:
        section = self.section(data, key, "")
        self.only(section, required, key + ".")
        return section

    def text(self, table: Table, key: str, prefix: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(prefix + key, "a non-empty text")
        check_placeholders(self.file, prefix + key, value)
        return value.strip()

    def texts(self, table: Table, keys: Iterable[str], prefix: str) -> Mapping[str, str]:
        return MappingProxyType({k: self.text(table, k, prefix) for k in keys})

    def words(self, table: Table, key: str, prefix: str) -> tuple[str, ...]:
        value = table.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(prefix + key, "a non-empty list of texts")
        return tuple(v.strip().lower() for v in value)

    def word_lists(self, table: Table, keys: Iterable[str], prefix: str) -> Mapping[str, tuple[str, ...]]:
        return MappingProxyType({k: self.words(table, k, prefix) for k in keys})

    def wake(self, wake: Table, scripts: Table) -> Wake:
        """The wake phrase, what may follow it (an action, or a script named in both tables)."""
        actions = (*WAKE_ACTIONS, *(s for s in scripts if s in wake))
        return Wake(self.words(wake, "phrase", "wake."), self.word_lists(wake, actions, "wake."),
                    self.texts(wake, WAKE_TEXTS, "wake."))

    def pair(self, table: Table, key: str, prefix: str) -> tuple[str, str]:
        value = table.get(key)
        if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(prefix + key, "two texts: the singular and the plural")
        return value[0].strip(), value[1].strip()

    def months(self, table: Table) -> tuple[str, ...]:
        """Month names as written (not lowercased: "November" in English, "november" in Dutch)."""
        value = table.get("months")
        if not isinstance(value, list) or len(value) != 12 or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail("report.months", "twelve texts: the month names, January first")
        return tuple(v.strip() for v in value)

    def items(self, table: Table, key: str, prefix: str) -> list[Table]:
        value = table.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail(prefix + key, "one or more [[" + key + "]] entries")
        return value

    def value(self, entry: Table, index: int) -> Value:
        where = f"values[{index}]."
        self.only(entry, {"key", "name", "synonyms", "example"}, where)
        synonyms = self.words(entry, "synonyms", where) if "synonyms" in entry else ()
        example = entry.get("example", True)
        if not isinstance(example, bool):
            raise self.fail(where + "example", "true or false")
        return Value(self.text(entry, "key", where), self.text(entry, "name", where), synonyms, example)

    def script(self, name: str, body: object) -> Script:
        where = f"scripts.{name}."
        if not isinstance(body, dict):
            raise self.fail(where[:-1], "a table")
        self.only(body, {"title", "questions", "greeting", "closing", "gate_closing", "shared"}, where)
        questions = tuple(self.question(q, f"{where}questions[{i}].")
                          for i, q in enumerate(self.items(body, "questions", where)))
        ids = [q.id for q in questions]
        if len(set(ids)) != len(ids):
            raise self.fail(where + "questions", "a different id for every question")
        optional = {k: self.text(body, k, where) for k in ("greeting", "closing", "gate_closing") if k in body}
        if any(q.kind is Kind.GATE for q in questions) and "gate_closing" not in optional:
            raise self.fail(where + "gate_closing", "a text: what is said when the gate question is answered no")
        shared = body.get("shared", False)
        if not isinstance(shared, bool):
            raise self.fail(where + "shared", "true or false")
        return Script(name, self.text(body, "title", where), questions, shared=shared, **optional)

    def question(self, entry: Table, where: str) -> Question:
        self.only(entry, {"id", "ask", "help", "kind", "reask"}, where)
        kind = entry.get("kind", "text")
        if kind not in {k.value for k in Kind}:
            raise self.fail(where + "kind", "one of " + ", ".join(k.value for k in Kind))
        reask = self.text(entry, "reask", where) if "reask" in entry else ""
        return Question(self.text(entry, "id", where), self.text(entry, "ask", where),
                        self.text(entry, "help", where), Kind(kind), reask)
