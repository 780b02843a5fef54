"""The journal under real crashes and real concurrency: separate processes, SIGKILL, flock.

ASSISTANT_CRASH_KILLS sets how many times a writer is killed (default 25; CI runs 200).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.journal.tinyjournal import TinyJournal

pytestmark = pytest.mark.integration

WRITER = Path(__file__).with_name("journal_writer.py")
KILLS = int(os.environ.get("ASSISTANT_CRASH_KILLS", "25"))


def start_writer(data_dir: Path, tag: str, count: int | None = None) -> subprocess.Popen:
    args = [sys.executable, str(WRITER), str(data_dir), tag] + ([str(count)] if count else [])
    writer = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "ready\n"
    return writer


def acknowledged(output: str) -> dict[str, int]:
    """transcript -> id of every complete line the writer printed (a cut-off line is not one)."""
    lines = output.split("\n")[:-1]
    return {text: int(answer_id) for answer_id, text in (line.split() for line in lines)}


def stored(data_dir: Path) -> dict[str, int]:
    return {a.transcript: a.id for a in TinyJournal(data_dir).answers()}


def test_sigkill_at_random_moments_never_loses_an_acknowledged_answer(tmp_path, caplog):
    rng = random.Random(int(os.environ.get("ASSISTANT_CRASH_SEED", "3")))
    promised: dict[str, int] = {}
    for kill in range(KILLS):
        writer = start_writer(tmp_path, f"k{kill}")
        time.sleep(rng.uniform(0, 0.08))
        writer.send_signal(signal.SIGKILL)
        promised |= acknowledged(writer.communicate()[0])
        found = stored(tmp_path)
        missing = {t: i for t, i in promised.items() if found.get(t) != i}
        assert not missing, f"after kill {kill}: acknowledged answers lost: {missing}"
    assert len(promised) > KILLS  # the kills did land among writes
    assert not list((tmp_path / "journal").glob("*.damaged-*"))  # no crash ever damaged a file
    assert "damaged" not in caplog.text


def test_two_writers_and_a_reader_at_once_lose_no_update(tmp_path):
    TinyJournal(tmp_path)
    writers = [start_writer(tmp_path, tag, 40) for tag in ("a", "b")]
    seen = 0
    while any(w.poll() is None for w in writers):
        count = len(TinyJournal(tmp_path).answers())  # shared lock: never a half-done write
        assert count >= seen
        seen = count
    promised = {}
    for writer in writers:
        promised |= acknowledged(writer.communicate()[0])
        assert writer.returncode == 0
    assert len(promised) == 80 and len(set(promised.values())) == 80
    assert stored(tmp_path) == promised
