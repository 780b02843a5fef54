"""Exports: the exact JSON, CSV and Markdown a few stored answers become."""

from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.conversation.dialogue import StoredAnswer
from assistant.journal.export import FIELDS, FORMATS, export, to_csv, to_json, to_markdown
from assistant.journal.records import stored_answer

HEADER = ("id,session_id,script,language,moment,question_id,question,transcript,value,authentic,"
          "confidence,audio_seconds,capped,started_at,ended_at,audio_file,for_week,resistance\n")


def row(**changes) -> StoredAnswer:
    answer = dict(id=1, session_id="s1", script="compass", language="en", moment=1,
                  question_id="value", question="Which value?", transcript="Courage, I think",
                  value="courage", authentic=None, confidence=0.85, audio_seconds=3.5,
                  capped=False, started_at="2026-11-22T20:01:00+01:00",
                  ended_at="2026-11-22T20:01:04+01:00", audio_file=None)
    answer.update(changes)
    return StoredAnswer(**answer)


def test_json_of_one_answer_is_exact():
    assert to_json([row()]) == """\
[
  {
    "id": 1,
    "session_id": "s1",
    "script": "compass",
    "language": "en",
    "moment": 1,
    "question_id": "value",
    "question": "Which value?",
    "transcript": "Courage, I think",
    "value": "courage",
    "authentic": null,
    "confidence": 0.85,
    "audio_seconds": 3.5,
    "capped": false,
    "started_at": "2026-11-22T20:01:00+01:00",
    "ended_at": "2026-11-22T20:01:04+01:00",
    "audio_file": null,
    "for_week": null,
    "resistance": null
  }
]
"""


def test_json_keeps_non_ascii_words_readable_and_fills_missing_fields_with_null():
    text = to_json([stored_answer(3, {"transcript": "rust en eerlijkheid, oké"})])  # a sparse record
    assert "oké" in text
    parsed = json.loads(text)
    assert list(parsed[0]) == list(FIELDS)
    assert parsed[0]["transcript"] == "rust en eerlijkheid, oké"
    assert parsed[0]["value"] is None


def test_json_drops_fields_that_are_not_exported():
    record = {k: v for k, v in vars(row()).items() if k != "id"}
    assert "secret" not in to_json([stored_answer(1, {**record, "secret": "x"})])


def test_csv_of_one_answer_is_exact_with_quoting_and_empty_none():
    assert to_csv([row()]) == HEADER + (
        '1,s1,compass,en,1,value,Which value?,"Courage, I think",courage,,0.85,3.5,false,'
        "2026-11-22T20:01:00+01:00,2026-11-22T20:01:04+01:00,,,\n")


def test_csv_writes_booleans_lower_case_and_none_as_empty():
    text = to_csv([row(id=2, question_id="authentic", question="Your own?", transcript="my own",
                       value=None, authentic=True, confidence=None, capped=True,
                       audio_file="audio/s1-m1-authentic.wav")])
    assert text == HEADER + (
        "2,s1,compass,en,1,authentic,Your own?,my own,,true,,3.5,true,"
        "2026-11-22T20:01:00+01:00,2026-11-22T20:01:04+01:00,audio/s1-m1-authentic.wav,,\n")
    assert to_csv([row(authentic=False)]).splitlines()[1].split(",")[10] == "false"


def test_csv_round_trips_commas_quotes_and_newlines_in_transcripts():
    said = 'She said "no", and then\nI left'
    parsed = list(csv.DictReader(io.StringIO(to_csv([row(transcript=said)]))))
    assert parsed[0]["transcript"] == said


@pytest.mark.parametrize("fmt, expected", [
    ("json", "[]\n"),
    ("csv", HEADER),
    ("md", "# Reflections\n\nNo answers stored yet.\n"),
])
def test_empty_list_in_every_format(fmt, expected):
    assert export([], fmt) == expected


def test_export_dispatches_each_format():
    answers = [row()]
    assert FORMATS == ("json", "csv", "md")
    assert export(answers, "json") == to_json(answers)
    assert export(answers, "csv") == to_csv(answers)
    assert export(answers, "md") == to_markdown(answers)


def test_markdown_groups_by_session_and_moment_with_value_and_authentic_notes():
    answers = [
        row(id=1, question="What happened?", question_id="situation", transcript="I took a break",
            value=None),
        row(id=2),
        row(id=3, moment=2, question_id="authentic", question="Your own?", transcript="my own",
            value=None, authentic=True),
        row(id=4, session_id="s2", language="nl", started_at="2026-11-23T21:30:00+01:00",
            question_id="authentic", question="Echt van jou?", transcript="aangepast",
            value=None, authentic=False),
    ]
    assert to_markdown(answers) == """\
# Reflections

## 2026-11-22 20:01 (compass, en, session s1)

### Moment 1

**What happened?**

> I took a break _(id 1)_

**Which value?**

> Courage, I think _(value: courage; id 2)_

### Moment 2

**Your own?**

> my own _(authentic; id 3)_

## 2026-11-23 21:30 (compass, nl, session s2)

### Moment 1

**Echt van jou?**

> aangepast _(adapted; id 4)_
"""


def test_markdown_shows_value_and_authentic_together():
    text = to_markdown([row(value="calm", authentic=True)])
    assert "> Courage, I think _(value: calm; authentic; id 1)_" in text
