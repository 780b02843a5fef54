"""Stored answers as JSON, CSV or Markdown: the person's own words, theirs to take along.

The words are the stored ones; only how they are written out guards what reads them (see
escape.py): JSON escapes control characters its own way (a JSON reader gets the exact text back),
CSV neutralises formulas and shows control characters as escapes, Markdown escapes its syntax.
"""

from __future__ import annotations

import csv
import io
import json
from itertools import groupby
from typing import Any

from assistant.conversation.dialogue import StoredAnswer
from assistant.escape import csv_cell, json_text, markdown, visible

FIELDS = ("id", "session_id", "script", "language", "moment", "question_id", "question",
          "transcript", "value", "authentic", "confidence", "audio_seconds", "capped",
          "started_at", "ended_at", "audio_file", "for_week", "resistance")
FORMATS = ("json", "csv", "md")


def export(answers: list[StoredAnswer], fmt: str) -> str:
    return {"json": to_json, "csv": to_csv, "md": to_markdown}[fmt](answers)


def to_json(answers: list[StoredAnswer]) -> str:
    rows = [{k: getattr(a, k) for k in FIELDS} for a in answers]
    return json_text(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n"


def to_csv(answers: list[StoredAnswer]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for answer in answers:
        writer.writerow({k: _cell(getattr(answer, k)) for k in FIELDS})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return visible(csv_cell(value)) if isinstance(value, str) else value


def to_markdown(answers: list[StoredAnswer]) -> str:
    lines = ["# Reflections", ""]
    for session_id, grouped in groupby(answers, key=lambda a: a.session_id):
        group = list(grouped)
        first = group[0]
        lines += [f"## {markdown(first.started_at[:16].replace('T', ' '))} ({markdown(first.script)}, "
                  f"{markdown(first.language)}, session {markdown(session_id)})", ""]
        for moment, items in groupby(group, key=lambda a: a.moment):
            lines += [f"### Moment {markdown(str(moment))}", ""]
            for answer in items:
                extra = _markdown_extra(answer)
                lines += [f"**{markdown(answer.question)}**", "", f"> {markdown(answer.transcript)}{extra}", ""]
    if not answers:
        lines += ["No answers stored yet.", ""]
    return "\n".join(lines)


def _markdown_extra(answer: StoredAnswer) -> str:
    notes = []
    if answer.value:
        notes.append(f"value: {answer.value}")
    if answer.authentic is not None:
        notes.append("authentic" if answer.authentic else "adapted")
    if answer.resistance:
        notes.append(f"resistance: {answer.resistance}")
    if answer.for_week:
        notes.append(f"intention for {answer.for_week}")
    notes.append(f"id {answer.id}")  # what `assistant edit` and `forget` take
    return f" _({markdown('; '.join(notes))})_" if notes else ""
