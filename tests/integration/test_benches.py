"""Every benchmark still runs: each one in its --quick mode (seconds, tiny inputs) as a subprocess.

A benchmark nobody runs rots (bench_latency.py reached a journal attribute that had gone). This
only checks that each starts, measures and prints its table (a header line and a row), never how
fast anything was: the machine running the tests is shared and noisy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parent.parent.parent
BENCH = ROOT / "bench"
# bench_room.py's --quick runs several real-time sessions on a PulseAudio rig (~3 min): its smoke
# is --smoke, one short session.
MODE = {"bench_room.py": "--smoke"}
WEBRTC_MISSING = "webrtc-noise-gain is not installed"
COLUMNS = re.compile(r"\s{2,}|\|")  # a table's columns: set apart by two spaces or a bar


BENCHMARKS = [
    "bench_idle.py",
    "bench_journal.py",
    "bench_latency.py",
    "bench_listen.py",
    "bench_memory.py",
    "bench_report.py",
    "bench_room.py",
    "bench_soak.py",
    "bench_summary.py",
    "bench_vad.py",
    "bench_voice.py",
    "bench_wake.py",
    "bench_webrtc.py",
    "journal_growth.py",
]  # every benchmark there is, by name: a new one is added here on purpose


def test_every_benchmark_in_the_folder_is_run_here():
    found = sorted(p.name for p in BENCH.glob("bench_*.py")) + ["journal_growth.py"]
    assert found == BENCHMARKS


def test_a_line_of_text_is_not_a_table():
    assert not table_in(["bench_x.py: could not start"])
    assert not table_in(["Traceback (most recent call last):", "  File x.py, line 3"])
    assert table_in(["measure       result", "false wakes   0 (0.00/h)"])


@pytest.mark.parametrize("name", BENCHMARKS)
def test_the_benchmark_runs_quick_and_prints_its_table(name, tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)])}
    done = subprocess.run([sys.executable, str(BENCH / name), MODE.get(name, "--quick")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{name} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    if name == "bench_webrtc.py" and WEBRTC_MISSING in done.stdout + done.stderr:
        return  # not a dependency: its one line saying so is its smoke
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert table_in(lines), f"{name} printed no table:\n{done.stdout[-2000:]}"


def table_in(lines: list[str]) -> bool:
    """A header line of two or more columns, followed by a row of as many holding a number (a
    rule under the header counts as the header's second line)."""
    for header, row in zip(lines, lines[1:], strict=False):
        if header.startswith(("WARNING", "goal")):
            continue
        if columns(header) >= 2 and columns(row) >= 2 and any(c.isdigit() for c in row):
            return True
    return False


def columns(line: str) -> int:
    return len([cell for cell in COLUMNS.split(line.strip()) if cell])
