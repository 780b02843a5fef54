"""Hostile answers on their way out, and mistakes in what people give the device: each fault
gets one line (or a harmless output), the right exit code, and the stored words stay exact.

CSV: formula cells neutralised with a leading ' (OWASP). Markdown (export and the workshop
sheet): rendered by a real Markdown renderer (markdown-it, GFM-like with linkify), a transcript
adds no structure and no HTML. Terminal: control characters and bidi overrides are shown as
escapes by every export format and by what `reflect --text` prints; the journal keeps them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys

import pytest
from markdown_it import MarkdownIt
from unit_helpers import make_answer

from assistant.cli import main
from assistant.errors import UserError
from assistant.journal.tinyjournal import TinyJournal
from assistant.packs import load_pack, parse_pack
from assistant.paths import shipped_config_dir
from assistant.speech.typed import MAX_CHARACTERS

FORMULAS = ['=HYPERLINK("http://evil.example","open")', "+1+2", "-2+3", "@SUM(A1:A2)",
            "\tindented", "\rback", "plain = fine"]
HOSTILE_MD = ("# Boss **now** _em_ [click](http://evil.example) <script>alert(1)</script> | a | b "
              "https://evil.example www.evil.example x@evil.example ~~gone~~ `code` ![i](x.png)")
CONTROLS = "red \x1b[31mRED\x1b[0m bell\x07 nul\x00 csi\x9b2J rtl\u202eevil\u2066 end"
HIDDEN = ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u2066")


def store(data_dir, *transcripts: str, script: str = "compass", question_ids=None) -> None:
    journal = TinyJournal(data_dir)
    ids = question_ids or [f"q{i}" for i in range(len(transcripts))]
    for question_id, text in zip(ids, transcripts, strict=False):
        journal.add(make_answer(transcript=text, question_id=question_id, script=script))


def stored(data_dir) -> list[str]:
    return [a.transcript for a in TinyJournal(data_dir).answers()]


def run(capsys, argv) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def rendered(markdown: str) -> str:
    return MarkdownIt("gfm-like").render(markdown)


# --- CSV formula injection ------------------------------------------------------------------

def test_csv_export_prefixes_formula_cells_with_an_apostrophe_and_keeps_the_rest(tmp_path, capsys):
    data = tmp_path / "data"
    store(data, *FORMULAS)
    code, out, err = run(capsys, ["export", "--format", "csv", "--data-dir", str(data)])
    assert code == 0 and err == ""
    cells = [row["transcript"] for row in csv.DictReader(io.StringIO(out))]
    assert cells == ["'" + FORMULAS[0], "'+1+2", "'-2+3", "'@SUM(A1:A2)", "'\tindented",
                     "'\\x0dback", "plain = fine"]  # a CR is also shown, not obeyed
    assert stored(data) == FORMULAS  # the journal keeps the exact words


def test_dilemma_csv_prefixes_formula_cells(tmp_path, capsys):
    data = tmp_path / "data"
    store(data, "=cmd|' /C calc'!A0", "-goals", "+options", "@last", "rentals", script="dilemma",
          question_ids=["situation", "goals", "options", "last_time", "family"])
    code, out, _ = run(capsys, ["dilemmas", "export", "--format", "csv", "--lang", "en", "--data-dir", str(data)])
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [row[k] for k in ("situation", "goals", "options", "last_time", "family")] == [
        "'=cmd|' /C calc'!A0", "'-goals", "'+options", "'@last", "rentals"]


# --- Markdown and HTML injection ------------------------------------------------------------

def test_markdown_export_shows_a_hostile_transcript_as_text_only(tmp_path, capsys):
    data = tmp_path / "data"
    store(data, HOSTILE_MD + "\n- a list item\n1. numbered\n=====", "fine")
    code, out, _ = run(capsys, ["export", "--format", "md", "--data-dir", str(data)])
    html = rendered(out)
    assert code == 0
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1 and html.count("<h3>") == 1  # ours only
    assert html.count("<strong>") == 2  # the two questions, nothing from the answers
    assert html.count("<em>") == 2  # the two answers' "(id ...)" notes, ours
    for tag in ("<script", "<a ", "<li>", "<table", "<code>", "<img", "<s>", "<del>"):
        assert tag not in html, tag
    quote = html.split("<blockquote>\n<p>")[1].split("</p>\n</blockquote>")[0]
    quote = quote.split(" <em>(id ")[0]
    assert "<" not in quote  # the whole answer is one paragraph of text
    assert "# Boss **now** _em_ [click](http://evil.example) &lt;script&gt;alert(1)&lt;/script&gt;" in quote
    assert "- a list item 1. numbered =====" in quote  # line breaks become spaces: no new block
    assert stored(data)[0].startswith(HOSTILE_MD)


def test_the_dilemma_sheet_shows_hostile_answers_as_text_only(tmp_path, capsys):
    data = tmp_path / "data"
    store(data, "# Takeover\n<script>x()</script>", "**goals**", "[a](http://evil.example)", "- last",
          "# family", script="dilemma", question_ids=["situation", "goals", "options", "last_time", "family"])
    code, out, _ = run(capsys, ["dilemmas", "export", "--lang", "en", "--data-dir", str(data)])
    html = rendered(out)
    assert code == 0
    assert "<script" not in html and "<a " not in html and "<strong>goals" not in html
    assert html.count("<h1>") == 2  # the sheet's title and the ballot's title, nothing more
    assert "<h2>Function family: # family</h2>" in html
    assert "<p># Takeover &lt;script&gt;x()&lt;/script&gt;</p>" in html  # the ballot card


# --- control characters on the terminal -----------------------------------------------------

def test_every_export_format_shows_control_characters_as_escapes(tmp_path, capsys):
    data = tmp_path / "data"
    store(data, CONTROLS)
    outputs = {fmt: run(capsys, ["export", "--format", fmt, "--data-dir", str(data)])[1]
               for fmt in ("json", "csv", "md")}
    for fmt, out in outputs.items():
        assert not any(c in out for c in HIDDEN), fmt
    assert json.loads(outputs["json"])[0]["transcript"] == CONTROLS  # JSON escapes: exact when read
    assert "\\x1b[31mRED\\x1b[0m bell\\x07 nul\\x00 csi\\x9b2J rtl\\u202eevil\\u2066" in outputs["csv"]
    assert "\\x1b\\[31mRED" in outputs["md"]
    assert stored(data) == [CONTROLS]  # kept exactly: it is what was typed


def test_reflect_text_prints_what_it_reads_back_with_controls_escaped(tmp_path, capsys, monkeypatch):
    typed = f"{CONTROLS}\ngoals\noptions\nlast\nrentals\nno\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code, out, _ = run(capsys, ["reflect", "--script", "dilemma", "--text", "--quiet", "--lang", "en",
                                "--data-dir", str(tmp_path / "data")])
    assert code == 0
    assert "red \\x1b[31mRED\\x1b[0m bell\\x07" in out and not any(c in out for c in HIDDEN)


# --- a typed answer's length ----------------------------------------------------------------

def test_a_typed_answer_over_the_cap_is_cut_with_one_notice_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x" * 1_000_000 + "\nstop\n"))
    code, _, err = run(capsys, ["reflect", "--text", "--quiet", "--lang", "en", "--data-dir", str(tmp_path / "d")])
    notice, done = err.splitlines()
    assert code == 0
    assert notice == ("assistant: that answer has 1,000,000 characters; only the first 20,000 are kept; "
                      "the rest is dropped")
    assert done.startswith("assistant: session ") and "1 answer kept" in done
    assert stored(tmp_path / "d") == ["x" * MAX_CHARACTERS]


def test_a_typed_answer_at_the_cap_is_kept_whole_without_a_notice(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("y" * MAX_CHARACTERS + "\nstop\n"))
    _, _, err = run(capsys, ["reflect", "--text", "--quiet", "--lang", "en", "--data-dir", str(tmp_path / "d")])
    assert len(err.splitlines()) == 1
    assert stored(tmp_path / "d") == ["y" * MAX_CHARACTERS]


# --- placeholder typos in a language pack ---------------------------------------------------

def pack_with(tmp_path, old: str, new: str):
    folder = tmp_path / "lang"
    folder.mkdir()
    text = (shipped_config_dir() / "lang" / "en.toml").read_text(encoding="utf-8")
    assert old in text
    (folder / "en.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("old, new, key, allowed", [
    ('time. {question}"', 'time. {qestion}"', "phrases.reask", "{question}, {values}"),
    ('ask = "Describe the situation', 'ask = "{foo} Describe the situation', "scripts.dilemma.questions[0].ask",
     "{values}"),
    ("{count} more", "{cuont} more", "summary.more", "{count}"),
    ("{options}; last", "{options}; {last}; last", "dilemma.summary",
     "{family}, {goals}, {last_time}, {options}, {situation}"),
    ('kept = "Thank you. Your dilemma', 'kept = "{values} Your dilemma', "dilemma.kept", "none"),
])
def test_a_placeholder_typo_is_refused_when_the_pack_loads(tmp_path, old, new, key, allowed):
    folder = pack_with(tmp_path, old, new)
    with pytest.raises(UserError) as error:
        parse_pack(folder / "en.toml")
    field = next(f for f in ("qestion", "foo", "cuont", "last", "values") if "{" + f + "}" in new)
    assert str(error.value) == (f"{folder / 'en.toml'}: {key}: unknown placeholder {{{field}}}; "
                                f"allowed here: {allowed}")


def test_a_placeholder_typo_on_the_command_line_is_exit_1_one_line_and_nothing_stored(tmp_path, capsys, monkeypatch):
    folder = pack_with(tmp_path, 'time. {question}"', 'time. {qestion}"')
    config = tmp_path / "config.toml"
    config.write_text(f'lang_dirs = ["{folder}"]\n', encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("an answer\n"))
    code, out, err = run(capsys, ["reflect", "--text", "--quiet", "--lang", "en", "--config", str(config),
                                  "--data-dir", str(tmp_path / "d")])
    assert code == 1 and out == ""
    assert err == (f"assistant: {folder / 'en.toml'}: phrases.reask: unknown placeholder {{qestion}}; "
                   "allowed here: {question}, {values}\n")
    assert not (tmp_path / "d").exists()


def test_a_lone_brace_is_refused_too(tmp_path):
    folder = pack_with(tmp_path, 'time. {question}"', 'time. {question"')
    with pytest.raises(UserError, match=r"phrases.reask: a lone '\{' or '\}'; placeholders allowed here"):
        parse_pack(folder / "en.toml")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_shipped_packs_use_only_allowed_placeholders(language):
    assert load_pack(language).dilemma["summary"].count("{") == 5


def test_the_korean_test_pack_loads(tmp_path):
    from unit_helpers import KO_PACK

    shutil.copy(KO_PACK, tmp_path / "ko.toml")
    assert parse_pack(tmp_path / "ko.toml").function_words == ("de", "van")


# --- "without names" ------------------------------------------------------------------------

def test_without_names_leaves_out_jan_de_vries_and_keeps_every_other_de(tmp_path, capsys, monkeypatch):
    typed = "\n".join([
        "Jan de Vries vroeg mij de regels te buigen voor de huurder.",  # situation
        "de regels tegen de goede wil",                                   # goals
        "nee zeggen, of De Vries zijn zin geven",                         # options
        "ik heb het aan Jan overgelaten",                                 # last time
        "verhuur",                                                        # function family
        "zonder namen", "Jan de Vries", "ja"]) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code, out, err = run(capsys, ["reflect", "--script", "dilemma", "--text", "--quiet", "--lang", "nl",
                                  "--data-dir", str(tmp_path / "d")])
    assert code == 0 and "4 answers kept" not in err and "5 answers kept" in err
    heard_back = out.splitlines()[out.splitlines().index("Zonder die namen wordt het:") + 1]
    assert heard_back.startswith("[…] vroeg mij de regels te buigen voor de huurder; wat er schuurt: "
                                 "de regels tegen de goede wil; de opties die je ziet: nee zeggen, of "
                                 "[…] zijn zin geven; de vorige keer: ik heb het aan […] overgelaten")
    assert stored(tmp_path / "d") == [
        "[…] vroeg mij de regels te buigen voor de huurder.", "de regels tegen de goede wil",
        "nee zeggen, of […] zijn zin geven", "ik heb het aan […] overgelaten", "verhuur"]
