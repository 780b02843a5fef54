"""The workshop's printed pages from the README's worked example, against golden files: the
moderator's sheet, the board's agenda, the ballot cards; in the pack's words; and nothing a
teller or the moderator wrote can become markup. ASSISTANT_UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import load_config
from assistant.packs import load_pack
from assistant.workshop import workfile
from assistant.workshops import PAGES, write_pages
from tests.workshop_data import DEVICES, UNSAFE, moderate

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
MADE = date(2026, 11, 20)


def pages(tmp_path: Path, language: str = "en", unsafe: bool = False) -> dict[str, str]:
    moderate(tmp_path / "data", language, unsafe)
    config = load_config(data_dir=tmp_path / "data", language=language)
    written = write_pages(config, load_pack(language), tmp_path, today=MADE)
    return {path.name: path.read_text(encoding="utf-8") for path in written}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_matches_its_golden_file(tmp_path, name):
    golden = GOLDEN / f"workshop_{name}"
    page = pages(tmp_path)[name]
    if os.environ.get("ASSISTANT_UPDATE_GOLDEN"):
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def test_the_board_sees_approvals_flagged_votes_and_one_ballot_card_per_vote(tmp_path):
    written = pages(tmp_path)
    board, ballots = written["board.html"], written["ballots.html"]
    approval, vote = board.split("For the vote: no consensus in the group")
    assert "Dilemma 1 (maintenance)" in approval and "Dilemma 2 (maintenance)" in approval
    assert approval.count("not in line with the strategy") == 1  # dilemma 2: scenario 1 agreed
    assert "Dilemma 3 (maintenance)" in vote and "Dilemma 6 (maintenance)" in vote
    assert ballots.count('<article class="card">') == 2
    assert "Repair it and charge the standard fee" in ballots


def test_the_moderators_sheet_has_each_session_s_agenda_and_a_consensus_box(tmp_path):
    sheet = pages(tmp_path)["moderator.html"]
    assert sheet.count('<section class="session">') == 2
    assert "customer contact: session 1 of 1" in sheet and "maintenance: session 1 of 1" in sheet
    assert sheet.count("Fewer than 4 participants") == 1  # customer contact: 2 participants
    assert '<td class="time">1:45–2:00</td><td>Conclusion and feedback</td>' in sheet
    assert sheet.count('<p class="consensus">') == 8


def test_pages_are_in_the_pack_s_language(tmp_path):
    written = pages(tmp_path, "nl")
    assert "Workshop kleine keuzes: het blad van de moderator" in written["moderator.html"]
    assert "Ter stemming: geen consensus in de groep" in written["board.html"]
    assert '<html lang="nl">' in written["ballots.html"]


def test_no_text_becomes_markup_and_nothing_is_loaded(tmp_path):
    written = pages(tmp_path, unsafe=True)
    for page in written.values():
        assert "<script" not in page and "<b>" not in page
        assert "default-src 'none'" in page and "http" not in page.replace("http-equiv", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in written["ballots.html"]
    assert UNSAFE not in written["ballots.html"]


# What a teller (or a tampered export) might put where the pages print it: markup, an attribute
# break-out, a spreadsheet formula, terminal escapes and a right-to-left override.
HOSTILE = {
    "situation": '<script>alert("x")</script> the shed',
    "goals": '"><img src=x onerror=alert(1)> rules',
    "options": "=cmd|' /C calc'!A0 or wait",
    "last_time": "\x1b[2J\x1b]0;owned\x07 I waited",
    "family": "<B>maintenance\u202e",
    "participant": "<i>5e6f7a8b</i>\u202e",
}
HOSTILE_FILE = 'van"><img src=x>\u202e\x1b[31m.json'


def hostile_pages(tmp_path: Path) -> dict[str, str]:
    """The worked example, with the van's export's every teller field (and its file name) hostile,
    and its dilemmas decided so that they reach the moderator's sheet, the board and a card."""
    body = json.loads((DEVICES / "van.json").read_text(encoding="utf-8"))
    for item in body["dilemmas"]:
        item.update(HOSTILE)
    van = tmp_path / HOSTILE_FILE
    van.write_text(json.dumps(body), encoding="utf-8")
    common = ["--data-dir", str(tmp_path / "data"), "--lang", "en"]
    assert main(["workshop", "import", str(DEVICES / "office.json"), str(DEVICES / "laptop.json"), str(van),
                 *common]) == 0
    assert main(["workshop", "plan", *common]) == 0
    for number in range(1, 9):
        for n in (1, 2, 3):
            assert main(["workshop", "scenario", str(number), str(n), f"scenario {n}", *common]) == 0
    first, second = [d.id for d in workfile.load(workfile.default_file(tmp_path / "data"))
                     if d.source == HOSTILE_FILE]
    for number, verdict in ((first, ["yes", "--scenario", "1"]), (second, ["no"])):  # approval; vote
        assert main(["workshop", "decide", str(number), "--consensus", *verdict, *common]) == 0
    config = load_config(data_dir=tmp_path / "data", language="en")
    written = write_pages(config, load_pack("en"), tmp_path, today=MADE)
    return {path.name: path.read_text(encoding="utf-8") for path in written}


def test_a_hostile_export_s_teller_fields_and_file_name_are_escaped_on_every_page(tmp_path):
    written = hostile_pages(tmp_path)
    for name, page in written.items():
        for raw in ("<script", "<img", "<B>", "<i>", "\x1b", "\x07", "\u202e"):
            assert raw not in page, (name, raw)
        assert "&lt;b&gt;maintenance\\u202e" in page, name  # the family, on every page
    sheet = written["moderator.html"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; the shed" in sheet
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; rules" in sheet
    assert "=cmd|&#x27; /C calc&#x27;!A0 or wait" in sheet
    assert "\\x1b[2J\\x1b]0;owned\\x07 I waited" in sheet
    assert "van&quot;&gt;&lt;img src=x&gt;\\u202e\\x1b[31m.json" in sheet  # the source file name
    approval, vote = written["board.html"].split("For the vote: no consensus in the group")
    for page in (approval, vote, written["ballots.html"]):
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; the shed" in page
