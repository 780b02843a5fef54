"""The workshop's printed pages from the README's worked example, against golden files: the
moderator's sheet, the board's agenda, the ballot cards; in the pack's words; and nothing a
teller or the moderator wrote can become markup. ASSISTANT_UPDATE_GOLDEN=1 rewrites them."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from assistant.config import load_config
from assistant.packs import load_pack
from assistant.workshops import PAGES, write_pages
from tests.workshop_data import UNSAFE, moderate

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
