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
# a table: a header line of words, a rule or an aligned row under it with a number in it
ROW = re.compile(r"\S.*\d")


def benchmarks() -> list[str]:
    return sorted(p.name for p in BENCH.glob("*.py") if p.name.startswith("bench_")) + ["journal_growth.py"]


def test_every_benchmark_is_covered():
    assert len(benchmarks()) >= 14, benchmarks()


@pytest.mark.parametrize("name", benchmarks())
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
    """A header line (two or more columns of words) followed by a row holding a number."""
    for header, row in zip(lines, lines[1:], strict=False):
        if len(header.split()) >= 2 and not header.startswith(("WARNING", "goal")) and ROW.search(row):
            return True
    return False
