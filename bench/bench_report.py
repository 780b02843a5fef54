"""(f) `assistant report`: the page of the weeks on journals of 1 week, 1 year and 10 years.

Journals come from tests/report_data.py (compass moments on ~45 % of evenings, a klein verzet
now and then, an intention every Sunday) ending this week, with a stored summary for every week.
For each, the report command is run as a user runs it, in a fresh interpreter
(`python -m assistant report`: start, imports, matplotlib, reading, charts, writing the file),
median of RUNS; and in-process, the split between reading the journal (gather) and drawing and
writing the page (render). Rows with the whole history on one page (--weeks 52, 520) show what
the span costs, against the default 12 weeks. Goal: <= 3 s at 10 years (default span).

Run: python bench/bench_report.py
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import common

from assistant.conversation.dialogue import StoredSummary
from assistant.journal.tinyjournal import TinyJournal
from tests.report_data import journal_answers

RUNS = 3
JOURNALS = (("1 week", 1), ("1 year", 52), ("10 years", 520))
SPANS = {"1 week": (12,), "1 year": (12, 52), "10 years": (12, 520)}
LINES = ["Here is a look back at week {week}.", "You looked at 4 moments on 3 days.",
         "The values you followed: courage 2 times, calm 1 time and care 1 time.",
         "Every choice you weighed felt like your own.", "In your own words:",
         "\"At work a colleague asked me to take over her report and I said no kindly\"",
         "Last week you chose to practise calm. It showed up 1 time this week."]


def build(folder: Path, weeks: int) -> int:
    from assistant.weeks import week_of_date

    monday = date.today() - timedelta(days=date.today().weekday())
    journal = TinyJournal(folder)
    answers = journal_answers(monday, weeks)
    journal.add_many(answers)
    for n in range(weeks):
        year, week = week_of_date(monday - timedelta(weeks=n))
        journal.save_summary(year, week, StoredSummary(week=f"{year}-W{week:02d}", language="en",
                                                       composed_at="2026-01-01T20:00:00+01:00",
                                                       lines=[line.format(week=week) for line in LINES]))
    return len(answers)


def command_seconds(data: Path, weeks: int, out: Path) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant", "report", "--lang", "en", "--data-dir",
                        str(data), "--weeks", str(weeks), "--out", str(out)], check=True,
                       cwd=common.ROOT, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def split_seconds(data: Path, weeks: int) -> tuple[float, float]:
    from assistant.clock import local_now
    from assistant.packs import load_pack
    from assistant.pages.page import render
    from assistant.pages.report import gather
    from assistant.weeks import week_of_date

    pack, journal = load_pack("en"), TinyJournal(data)
    render(gather(journal, pack, week_of_date(date.today()), 1), pack, local_now())  # warm imports
    start = time.perf_counter()
    found = gather(journal, pack, week_of_date(date.today()), weeks)
    read = time.perf_counter() - start
    start = time.perf_counter()
    render(found, pack, local_now())
    return read, time.perf_counter() - start


def main() -> None:
    global RUNS, JOURNALS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the one-week journal, one run: does it run?")
    if parser.parse_args().quick:
        RUNS, JOURNALS = 1, JOURNALS[:1]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        for name, weeks in JOURNALS:
            data = Path(tmp) / name.replace(" ", "")
            stored = build(data, weeks)
            for span in SPANS[name]:
                out = Path(tmp) / f"{name}-{span}.html"
                total = command_seconds(data, span, out)
                read, draw = split_seconds(data, span)
                rows.append([name, stored, span, f"{statistics.median(total):.2f}", f"{max(total):.2f}",
                             f"{read * 1000:.0f}", f"{draw * 1000:.0f}", f"{out.stat().st_size / 1e3:.0f} kB"])
    print(f"assistant report, seconds per command (fresh interpreter, median of {RUNS}); "
          "in-process split in ms")
    common.print_table(["journal", "answers", "--weeks", "command s", "max s", "read ms", "draw ms", "page"], rows)
    for ten_years in [r for r in rows if r[0] == "10 years" and r[2] == 12]:  # not in --quick
        verdict = "met" if float(ten_years[3]) <= 3.0 else "NOT met"
        print(f"goal: <= 3 s at 10 years (default 12 weeks): {ten_years[3]} s, {verdict}")


if __name__ == "__main__":
    main()
