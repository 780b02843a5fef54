"""(d) The journal with 10 years of history: does an answer still cost what it did on day one?

Builds ~40,000 answers (11 a night for 10 years, real-length transcripts) with add_many, then
times, against a fresh journal in the same run: journal.add (the session's path: lock, read,
write + fsync, backup + fsync), reading one week, and a full JSON export.
Goals: add into 10 years <= 3x add into empty; one week read <= 10 ms.

Run: python bench/bench_journal.py
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from assistant.conversation.dialogue import Answer
from assistant.journal.export import export
from assistant.journal.tinyjournal import TinyJournal

YEARS, PER_NIGHT, ADDS, READS = 10, 11, 40, 50
FIRST = date(2016, 11, 28)
TEXT = ("Ik koos vanavond om eerlijk te zeggen dat ik moe was, in plaats van nog een taak aan te "
        "nemen. Het voelde eerst ongemakkelijk, daarna rustig en licht. ") * 2


def answer(day: date, n: int) -> Answer:
    start = datetime(day.year, day.month, day.day, 21, n).isoformat() + "+01:00"
    return Answer(session_id=f"{day:%Y%m%d}-210000-bench", script="compass", language="nl",
                  moment=1 + n // 6, question_id=f"q{n % 6}", question="Wat gebeurde er?",
                  transcript=TEXT, confidence=0.82, audio_seconds=21.4, started_at=start,
                  ended_at=start)


def history() -> list[Answer]:
    days = (FIRST + timedelta(days=d) for d in range(YEARS * 365))
    return [answer(day, n) for day in days for n in range(PER_NIGHT)]


def median_ms(action, repeats: int) -> float:
    times = []
    for n in range(repeats):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def add_ms(journal: TinyJournal, day: date) -> float:
    return median_ms(lambda n: journal.add(answer(day, n % 60)), ADDS)


def main() -> None:
    global YEARS, ADDS, READS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one year, a few adds and reads: does it run?")
    if parser.parse_args().quick:
        YEARS, ADDS, READS = 1, 5, 5
    last_day = FIRST + timedelta(days=YEARS * 365 - 1)
    with tempfile.TemporaryDirectory(prefix="bench-journal-") as folder:
        empty = add_ms(TinyJournal(Path(folder) / "empty"), last_day)
        full_dir = Path(folder) / "full"
        start = time.perf_counter()
        full = TinyJournal(full_dir)
        stored = len(full.add_many(history()))
        build_s = time.perf_counter() - start
        grown = add_ms(full, last_day)
        year, week, _ = (last_day - timedelta(days=200)).isocalendar()
        week_read = median_ms(lambda n: full.week(year, week), READS)
        start = time.perf_counter()
        exported = export(TinyJournal(full_dir).answers(), "json")
        export_ms = (time.perf_counter() - start) * 1000
        size = sum(p.stat().st_size for p in (full_dir / "journal").glob("*.json"))
    print(f"journal with {stored} answers ({YEARS} years, {size / 1e6:.1f} MB in week files, "
          f"built in {build_s:.1f} s); medians of {ADDS} adds / {READS} reads")
    rows = [("add into empty journal", f"{empty:.2f} ms", ""),
            ("add into 10-year journal", f"{grown:.2f} ms", ""),
            ("ratio 10-year / empty", f"{grown / empty:.2f}x", _goal(grown / empty <= 3, "<= 3x")),
            (f"read one week ({year}-W{week:02d})", f"{week_read:.2f} ms", _goal(week_read <= 10, "<= 10 ms")),
            (f"full export, json ({len(exported) / 1e6:.1f} MB)", f"{export_ms:.0f} ms", "")]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'value':>10}  goal")
    for name, value, goal in rows:
        print(f"{name.ljust(width)}  {value:>10}  {goal}".rstrip())


def _goal(met: bool, goal: str) -> str:
    return f"{goal}: {'met' if met else 'NOT met'}"


if __name__ == "__main__":
    main()
