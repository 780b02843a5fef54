"""journal.add on journals of growing size: the part of (b) that grows with use.

TinyDB's storage interface reads and writes the whole database on every change, and the journal's
storage fsyncs each write. A fresh journal in a benchmark is therefore the best case; a year of
evenings (12 answers a night) is what a device sees later on.

Run on its own: python bench/journal_growth.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import common

SIZES = (("fresh", 0), ("1 month", 30 * 12), ("1 year", 365 * 12))
ADDS = 10


def answer(n: int):
    from assistant.conversation.dialogue import Answer

    return Answer(
        session_id=f"20260101-2100{n % 60:02d}-abcd", script="compass", language="ko",
        moment=1 + n % 2, question_id="situation", question="오늘 선택을 했던 순간을 떠올려 보세요.",
        transcript=" ".join(common.SENTENCES[:3]), confidence=0.82, audio_seconds=21.4,
        started_at="2026-01-01T21:00:00+01:00", ended_at="2026-01-01T21:00:21+01:00")


def add_times(stored: int) -> tuple[list[float], int]:
    """Milliseconds of ADDS journal.add calls on a journal already holding `stored` answers."""
    from assistant.journal.tinyjournal import TinyJournal

    with tempfile.TemporaryDirectory(prefix="bench-journal-") as folder:
        journal = TinyJournal(Path(folder))
        if stored:
            journal.add_many(answer(n) for n in range(stored))
        times = []
        for n in range(ADDS):
            start = time.perf_counter()
            journal.add(answer(n))
            times.append((time.perf_counter() - start) * 1000)
        size = sum(p.stat().st_size for p in journal.folder.glob("*.json"))
    return times, size


def shrink() -> None:
    """--quick: small journals and few adds (does it run?)."""
    global SIZES, ADDS
    SIZES, ADDS = (("fresh", 0), ("1 month", 30 * 12)), 3


def report() -> None:
    rows = []
    for name, stored in SIZES:
        times, size = add_times(stored)
        rows.append([name, stored, f"{size / 1e6:.2f} MB", common.median(times), max(times)])
    print(f"journal.add (read + json + write + fsync) by journal size, ms, {ADDS} adds each")
    common.print_table(["journal", "answers", "file", "p50", "max"], rows)


if __name__ == "__main__":
    import sys

    if "--quick" in sys.argv[1:]:
        shrink()
    report()
