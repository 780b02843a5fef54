"""The workshop sheets from recorded dilemmas, compared with golden files (md and csv), and the
typed recording through the command line."""

from __future__ import annotations

import io
import sys
from dataclasses import asdict
from pathlib import Path

from unit_helpers import make_answer

from assistant.cli import main
from assistant.conversation.dialogue import StoredAnswer
from assistant.journal.tinyjournal import TinyJournal
from assistant.pages.workshop import dilemmas, to_csv, to_markdown

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"

RECORDED = [  # (session, day, family, situation, goals, options, last time)
    ("d1", "2026-11-16", "Maintenance", "A tenant wants to keep an old garden shed; the rules say it "
     "must go before the renovation.", "rules against goodwill",
     "enforce the rule, allow it, or find a middle way", "I allowed it without telling anyone"),
    ("d2", "2026-11-17", "customer contact", "A tenant calls for the third time about the same leak, "
     "the queue is long.", "efficiency against service", "a short call, or take the time",
     "I took the time, and the queue grew"),
    ("d3", "2026-11-18", "maintenance", "A contractor offers a cheaper, \"temporary\" fix.",
     "cost against quality", "accept, refuse, or ask for a proper quote", "I asked for a quote"),
]


def stored_answers():
    answers = []
    for session, day, *texts in RECORDED:
        questions = ("family", "situation", "goals", "options", "last_time")
        for n, (question, text) in enumerate(zip(questions, texts, strict=False)):
            at = f"{day}T10:0{n}:00+01:00"
            answers.append(StoredAnswer(id=len(answers) + 1, **asdict(make_answer(
                session_id=session, script="dilemma", question_id=question, transcript=text,
                started_at=at, ended_at=at))))
    return answers


def test_the_moderators_sheet_and_ballot_match_the_golden_markdown(en):
    assert to_markdown(dilemmas(stored_answers()), en) == (GOLDEN / "dilemmas_en.md").read_text(encoding="utf-8")


def test_the_csv_matches_the_golden_file():
    assert to_csv(dilemmas(stored_answers())) == (GOLDEN / "dilemmas.csv").read_text(encoding="utf-8")


def test_dilemmas_are_grouped_by_function_family_whatever_its_case():
    found = dilemmas(stored_answers())
    assert [(d.number, d.family, d.session_id) for d in found] == [
        (1, "customer contact", "d2"), (2, "maintenance", "d1"), (3, "maintenance", "d3")]


def test_dilemmas_export_through_the_command_line_with_since(tmp_path, capsys):
    journal = TinyJournal(tmp_path / "data")
    for answer in stored_answers():
        journal.add(answer)  # a StoredAnswer is an Answer: add stores its fields, not its id
    assert main(["dilemmas", "export", "--format", "csv", "--since", "2026-11-17", "--lang", "en",
                 "--data-dir", str(tmp_path / "data")]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 3 and rows[1].startswith("1,customer contact,2026-11-17,")


def test_a_typed_dilemma_is_read_back_and_kept_only_after_yes(tmp_path, capsys, monkeypatch):
    typed = "Tenant Jansen asks for a new kitchen early.\nrules against service\nwait, or make an exception\n" \
            "I waited\nrentals\nwithout names\nJansen\nyes\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    assert main(["reflect", "--script", "dilemma", "--text", "--quiet", "--lang", "en",
                 "--data-dir", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert "Tenant Jansen asks for a new kitchen early; what pulls in different directions" in out
    assert main(["dilemmas", "export", "--lang", "en", "--data-dir", str(tmp_path / "data")]) == 0
    sheet = capsys.readouterr().out
    assert "## Function family: rentals" in sheet
    assert "Tenant \\[…\\] asks for a new kitchen early." in sheet  # Markdown-escaped: shows as […]
    assert "Jansen" not in sheet
