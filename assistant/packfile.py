"""Reading a language pack file: every table and field checked, every complaint one line naming
the file and the key, so a translator's typo is found when the pack loads, not said aloud.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TypeAlias

from assistant.conversation.dialogue import Command, Kind, Question
from assistant.errors import UserError
from assistant.packs import (
    DILEMMA_TEXTS,
    PHRASES,
    REPORT_TEXTS,
    RESISTANCE,
    SUMMARY_NOUNS,
    SUMMARY_PHRASES,
    TOP_KEYS,
    WAKE_ACTIONS,
    WAKE_TEXTS,
    WORKSHOP_TEXTS,
    Pack,
    Script,
    Value,
    Wake,
)
from assistant.placeholders import check_placeholders

Table: TypeAlias = dict[str, Any]  # a TOML table as tomllib reads it: checked field by field


def read_pack(file: Path) -> Pack:
    """Read one pack file, checked whole: every complaint names the file and the key.

    The tables are checked for unknown keys first, then each field in the order of Pack, so a
    pack with several mistakes always names the same one first.
    """
    data = _read_toml(file)
    reader = _Reader(file)
    reader.only(data, TOP_KEYS, "")
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
        workshop=reader.texts(tables.workshop, WORKSHOP_TEXTS, "workshop."),
        piper_voice=reader.text(data, "piper_voice", "") if "piper_voice" in data else "",
        clause_words=reader.words(data, "clause_words", "") if "clause_words" in data else (),
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
    workshop: Table


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
    workshop = reader.table(data, "workshop", WORKSHOP_TEXTS)
    return _Tables(phrases, commands, answers, authentic, summary, scripts, wake, resistance,
                   dilemma, report, workshop)



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
