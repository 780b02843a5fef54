"""The page of the weeks: its structure and data against a golden file (charts stripped, not
pixels), the same bytes for the same data, escaping, empty and tiny journals, both languages,
and the command line."""

from __future__ import annotations

import base64
import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from unit_helpers import one_line

from assistant.cli import main
from assistant.journal.tinyjournal import TinyJournal
from assistant.pages.page import render
from assistant.pages.report import gather
from tests.report_data import UNSAFE, ZONE, journal_answers, moment, store_summaries

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
LAST_MONDAY = date(2026, 11, 16)           # 2026-W47
MADE = datetime(2026, 11, 22, 20, 0, tzinfo=ZONE)
CHART = re.compile(r'src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"')
MADE_LINE = re.compile(r'<p class="made">[^<]*</p>')


def filled_journal(folder: Path, pack, weeks: int = 14, summaries: int = 12) -> TinyJournal:
    journal = TinyJournal(folder)
    journal.add_many(journal_answers(LAST_MONDAY, weeks, unsafe=True))
    store_summaries(journal, pack, LAST_MONDAY, summaries)
    return journal


def page_of(journal, pack, weeks: int = 12, made: datetime = MADE) -> str:
    return render(gather(journal, pack, (2026, 47), weeks), pack, made)


def structure(page: str) -> str:
    """The page without its chart images and its generation time: what a golden file holds."""
    return MADE_LINE.sub('<p class="made"></p>', CHART.sub('src="CHART"', page))


def charts_of(page: str) -> list[bytes]:
    return [base64.b64decode(m.group(0)[len('src="data:image/svg+xml;base64,'):-1])
            for m in CHART.finditer(page)]


@pytest.fixture(scope="module")
def twelve_weeks(tmp_path_factory, en):
    journal = filled_journal(tmp_path_factory.mktemp("report"), en)
    return page_of(journal, en)


def test_the_page_matches_the_golden_structure_and_data(twelve_weeks):
    golden = GOLDEN / "report_en.html"
    if os.environ.get("ASSISTANT_UPDATE_GOLDEN"):
        golden.write_text(structure(twelve_weeks), encoding="utf-8")
    assert structure(twelve_weeks) == golden.read_text(encoding="utf-8")


def test_the_same_data_gives_the_same_bytes_apart_from_the_made_line(tmp_path, en, twelve_weeks):
    again = page_of(filled_journal(tmp_path, en), en, made=datetime(2027, 1, 2, 9, 5, tzinfo=ZONE))
    assert again != twelve_weeks
    assert MADE_LINE.sub("", again) == MADE_LINE.sub("", twelve_weeks)
    assert "2 January 2027 at 09:05" in again


def test_every_chart_is_an_svg_image_inside_the_page(twelve_weeks):
    found = charts_of(twelve_weeks)
    assert len(found) == 4  # moments and days, values, authentic share, klein verzet
    assert all(b"<svg" in svg and b"</svg>" in svg for svg in found)
    assert all(b"<text" not in svg for svg in found)  # glyphs as paths: no font needed


def test_the_page_loads_nothing_from_anywhere(twelve_weeks):
    without_charts = CHART.sub("", twelve_weeks)
    assert "<script" not in without_charts and "<link" not in without_charts
    assert "http://" not in without_charts and "https://" not in without_charts
    assert "default-src 'none'; img-src data:" in twelve_weeks
    assert all(b"xlink:href=\"http" not in svg for svg in charts_of(twelve_weeks))


def test_a_transcript_with_markup_is_shown_as_text(twelve_weeks):
    assert "wrote &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; in" in twelve_weeks
    assert UNSAFE[:40] not in twelve_weeks and "<b>" not in twelve_weeks


def test_values_are_listed_with_the_packs_names_in_the_packs_order(twelve_weeks, en):
    table = twelve_weeks.split('<table class="values">')[1].split("</table>")[0]
    names = re.findall(r"</span>([^<]+)</td>", table)
    order = [v.name for v in en.values]
    assert names == sorted(names, key=order.index) and len(names) == 5


def test_each_week_shows_its_stored_summary(twelve_weeks, tmp_path, en):
    journal = filled_journal(tmp_path, en)
    lines = journal.summary(2026, 46).lines
    card = twelve_weeks.split("<h3>Week 46 2026</h3>")[1].split("</article>")[0]
    assert lines[1] in card and "From 9 November 2026 to 15 November 2026" in card


def test_a_week_without_a_stored_summary_says_so(tmp_path, en):
    journal = filled_journal(tmp_path, en, weeks=3, summaries=0)
    page = page_of(journal, en, weeks=3)
    assert page.count(en.report["no_summary"]) == page.count("<article>") > 0


def test_an_empty_journal_gives_a_short_page_that_says_so(en):
    page = render(gather(None, en, (2026, 47), 12), en, MADE)
    assert en.report["empty"] in page and "<img" not in page and "<section>" not in page
    assert "From 31 August 2026 to 22 November 2026" in page


def test_one_moment_is_enough_for_a_page(tmp_path, en):
    journal = TinyJournal(tmp_path)
    journal.add_many(moment(date(2026, 11, 18), "s1", 1, "courage", True,
                            "I told my manager that the deadline was not realistic"))
    page = page_of(journal, en, weeks=1)
    assert len(charts_of(page)) == 3  # no klein verzet: its section says there was none
    assert en.report["verzet_none"] in page and "<h3>Week 47 2026</h3>" in page
    assert "I told my manager that the deadline was not realistic" in page
    assert "<td>courage</td>" not in page and "courage</td><td class=\"n\">1</td>" in page


def test_the_dutch_page_has_dutch_dates_and_value_names(tmp_path, nl):
    journal = TinyJournal(tmp_path)
    journal.add_many(journal_answers(LAST_MONDAY, 2))
    page = page_of(journal, nl, weeks=2)
    assert '<html lang="nl">' in page and "Van 9 november 2026 tot en met 22 november 2026" in page
    assert "Gemaakt op 22 november 2026 om 20:00." in page
    assert any(f"</span>{v.name}</td>" in page for v in nl.values if v.key in ("courage", "calm"))


def test_the_report_command_writes_a_private_page(tmp_path, capsys, en):
    filled_journal(tmp_path / "data", en, weeks=2, summaries=1)
    out = tmp_path / "weeks.html"
    assert main(["report", "--lang", "en", "--data-dir", str(tmp_path / "data"), "--weeks", "3",
                 "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert str(out) in capsys.readouterr().err


def test_the_report_command_never_creates_a_journal(tmp_path):
    assert main(["report", "--data-dir", str(tmp_path / "none"), "--out", str(tmp_path / "p.html")]) == 0
    assert not (tmp_path / "none").exists() and (tmp_path / "p.html").exists()


@pytest.mark.parametrize("args, says", [(["--weeks", "0"], "--weeks 0"),
                                         (["--out", "/nonexistent/folder/p.html"], "cannot write")])
def test_bad_report_arguments_get_one_line(tmp_path, capsys, args, says):
    assert main(["report", "--data-dir", str(tmp_path), *args]) == 1
    err = capsys.readouterr().err.strip()
    assert one_line(err) and says in err


def test_two_processes_write_the_same_page_for_the_same_data(tmp_path, en):
    import subprocess
    import sys

    monday = date.today() - timedelta(days=date.today().weekday())  # the command shows this week
    TinyJournal(tmp_path / "data").add_many(journal_answers(monday, 3))
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"page{seed}.html"
        subprocess.run([sys.executable, "-m", "assistant", "report", "--lang", "en", "--data-dir",
                        str(tmp_path / "data"), "--out", str(out)], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        pages.append(MADE_LINE.sub("", out.read_text(encoding="utf-8")))
    assert pages[0] == pages[1] and "<img" in pages[0]


def test_only_the_report_loads_matplotlib():
    import subprocess
    import sys

    probe = ("import sys, assistant.cli, assistant.app, assistant.service.device, assistant.conversation.weekly, "
             "assistant.pages.report; print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
