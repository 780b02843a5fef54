"""The workshop's pages in a real browser, as the weekly page is (test_report_browser.py):
headless Chromium with no network opens the moderator's sheet, the board's agenda and the
ballot cards of the README's worked example; each renders (a screenshot that is not blank), its
text is there, and the console holds nothing but our own probe.
"""

from __future__ import annotations

import pytest

from assistant.cli import main
from tests.integration.test_report_browser import POLICY, chromium
from tests.workshop_data import moderate

pytestmark = pytest.mark.integration

PROBE = "<script>window.addEventListener('load', () => console.log('probe ran'));</script>"
SEEN = {"moderator.html": "Conclusion and feedback", "board.html": "For the vote: no consensus in the group",
        "ballots.html": "Repair it and charge the standard fee"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workshop")
    moderate(folder / "data", unsafe=True)
    assert main(["workshop", "pages", "--lang", "en", "--data-dir", str(folder / "data"),
                 "--out", str(folder)]) == 0
    return folder


@pytest.mark.parametrize("name", sorted(SEEN))
def test_each_page_renders_in_chromium_without_a_network_or_console_errors(folder, name):
    from PIL import Image, ImageStat

    page = folder / name
    shot = folder / f"{name}.png"
    ran = chromium(f"--screenshot={shot}", "--window-size=800,1100", page.as_uri(), cwd=folder)
    assert shot.exists(), ran.stderr[-2000:]
    image = Image.open(shot).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 20  # text and boxes, not a blank page
    probe = folder / f"probe-{name}"
    html = page.read_text(encoding="utf-8")
    assert POLICY in html
    probe.write_text(html.replace(POLICY, POLICY + "; script-src 'unsafe-inline'")
                     .replace("</body>", PROBE + "</body>"), encoding="utf-8")
    ran = chromium("--dump-dom", probe.as_uri(), cwd=folder)
    assert SEEN[name] in ran.stdout, ran.stderr[-2000:]
    assert "<script>alert" not in ran.stdout  # the unsafe scenario stayed text
    console = [line for line in ran.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert any("probe ran" in line for line in console), ran.stderr[-2000:]
    assert [line for line in console if "probe ran" not in line] == []
