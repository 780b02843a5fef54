"""A journal writer for the crash tests: prints each id only after add() returned it.

    python journal_writer.py DATA_DIR TAG [COUNT]

Prints "ready" once the journal is open, then one "<id> <transcript>" line per kept answer.
Answers cycle over three ISO weeks, so several files and their backups are written. Without
COUNT it writes until it is killed.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from assistant.conversation.dialogue import Answer
from assistant.journal.tinyjournal import TinyJournal

DAYS = ("2026-11-10", "2026-11-18", "2026-11-26")  # weeks 46, 47, 48


def answer(tag: str, n: int) -> Answer:
    return Answer(session_id=f"{tag}-session", script="compass", language="en", moment=1,
                  question_id="situation", question="What happened?", transcript=f"{tag}-{n}",
                  confidence=0.9, audio_seconds=3.0, started_at=f"{DAYS[n % 3]}T20:00:00+01:00",
                  ended_at=f"{DAYS[n % 3]}T20:00:03+01:00")


def main(data_dir: str, tag: str, count: str | None = None) -> None:
    journal = TinyJournal(Path(data_dir))
    print("ready", flush=True)
    numbers = range(int(count)) if count else itertools.count()
    for n in numbers:
        kept = journal.add(answer(tag, n))
        print(kept, f"{tag}-{n}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
