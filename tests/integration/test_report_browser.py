"""The page of the weeks in a real browser: headless Chromium, with no network at all, opens the
file written by `assistant report` and must show it: a screenshot that is not blank, every chart
image decoded, the values' names in the text, nothing on the console but our own probe.

The page itself carries no script; to ask the browser whether each image decoded, the test opens
a copy with one inline probe added (and allowed by its policy), which writes the answer into the
DOM that --dump-dom prints. ASSISTANT_UPDATE_SCREENSHOT=1 also keeps the screenshot in docs/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.journal.tinyjournal import TinyJournal
from assistant.packs import load_pack
from tests.report_data import journal_answers, store_summaries

pytestmark = pytest.mark.integration

DOCS_SHOT = Path(__file__).parents[2] / "docs" / "report.png"
POLICY = "style-src 'unsafe-inline'"
PROBE = ("<script>window.addEventListener('load', () => { document.body.dataset.images = "
         "[...document.images].map(i => i.complete && i.naturalWidth > 0 ? 'ok' : 'broken').join(' ');"
         " console.log('probe ran'); });</script>")


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Headless Chromium in a network namespace of its own (no interface but a dead loopback)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("chromium is missing: sudo apt install chromium (.ci/run installs it)")
    isolate = ["unshare", "--net"] if os.geteuid() == 0 and shutil.which("unshare") else []
    command = [*isolate, binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
               "--enable-logging=stderr", "--v=0", f"--user-data-dir={cwd / 'profile'}", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    pack = load_pack("en")
    journal = TinyJournal(folder / "data")
    monday = date.today() - timedelta(days=date.today().weekday())  # the page ends with this week
    journal.add_many(journal_answers(monday, 14, unsafe=True))
    store_summaries(journal, pack, monday, 12)
    out = folder / "weeks.html"
    assert main(["report", "--lang", "en", "--data-dir", str(folder / "data"), "--out", str(out)]) == 0
    return out


def test_the_page_renders_in_chromium_without_a_network(page):
    from PIL import Image, ImageStat

    shot = page.parent / "shot.png"
    ran = chromium(f"--screenshot={shot}", "--window-size=800,1100", page.as_uri(), cwd=page.parent)
    assert shot.exists(), ran.stderr[-2000:]
    image = Image.open(shot).convert("L")
    assert image.size == (800, 1100)
    assert ImageStat.Stat(image).stddev[0] > 20  # text and bars, not a blank or single-colour page
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert 0.01 < dark < 0.6
    if os.environ.get("ASSISTANT_UPDATE_SCREENSHOT"):
        DOCS_SHOT.parent.mkdir(exist_ok=True)
        Image.open(shot).convert("RGB").quantize(64).save(DOCS_SHOT, optimize=True)


def test_every_chart_decodes_and_the_values_are_in_the_text(page):
    html = page.read_text(encoding="utf-8")
    probe = page.parent / "probe.html"
    probe.write_text(html.replace(POLICY, POLICY + "; script-src 'unsafe-inline'")
                     .replace("</body>", PROBE + "</body>"), encoding="utf-8")
    ran = chromium("--dump-dom", probe.as_uri(), cwd=page.parent)
    dom = ran.stdout
    assert 'data-images="ok ok ok ok"' in dom, ran.stderr[-2000:]
    assert dom.count('<img class="chart"') == 4
    for value in ("courage", "calm", "care", "honesty", "respect"):
        assert f"</span>{value}</td>" in dom
    console = [line for line in ran.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert any("probe ran" in line for line in console), ran.stderr[-2000:]  # the log is read
    assert [line for line in console if "probe ran" not in line] == []
