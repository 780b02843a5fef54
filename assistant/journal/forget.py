"""`assistant forget`: erase chosen answers for good, after saying what will go and asking.

Erasing cannot be undone, so the person sees how many answers (from which days) go first and
confirms; a script without a terminal must say --yes, never erase by a blind default.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from typing import TextIO

from assistant.conversation.dialogue import StoredAnswer
from assistant.errors import UserError
from assistant.journal.profile import Profile
from assistant.journal.tinyjournal import TinyJournal
from assistant.weeks import local_date


def forget(journal: TinyJournal | None, profile: Profile, *, last: bool = False,
           session: str | None = None, before: date | None = None, everything: bool = False,
           yes: bool = False, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Erase the selected answers (exactly one selector is set) from the journal (None: there is
    none yet), and with everything what the profile remembers; the exit code."""
    stdin, out = stdin or sys.stdin, out or sys.stdout
    chosen = _chosen(journal, last, session, before, everything) if journal else []
    if journal is None or not chosen:
        print("nothing to erase", file=out)
        return 0
    print(f"{describe(chosen)} would be erased", file=out)
    if not yes and not _confirmed(stdin, out):
        print("nothing erased", file=out)
        return 0
    erased = journal.remove_many(a.id for a in chosen)
    if everything:
        profile.erase()  # what was remembered about the person goes too
    print(f"erased {erased} answer{'' if erased == 1 else 's'}", file=out)
    return 0


def _chosen(journal: TinyJournal, last: bool, session: str | None, before: date | None,
            everything: bool) -> list[StoredAnswer]:
    """The answers the selector names; no selector names none (all must be asked for)."""
    if before is not None:
        return [] if before == date.min else journal.answers(until=before - timedelta(days=1))
    answers = journal.answers()
    if session is not None:
        return [a for a in answers if a.session_id == session]
    if last and answers:
        newest = answers[-1].session_id  # answers are oldest first
        return [a for a in answers if a.session_id == newest]
    return answers if everything else []


def describe(answers: list[StoredAnswer]) -> str:
    """'3 answers from 2026-11-22', or the first and last day when they are many."""
    days = sorted({local_date(a.started_at).isoformat() for a in answers})
    count = f"{len(answers)} answer{'' if len(answers) == 1 else 's'}"
    if len(days) <= 3:
        return f"{count} from {', '.join(days)}"
    return f"{count} from {days[0]} to {days[-1]} ({len(days)} days)"


def _confirmed(stdin: TextIO, out: TextIO) -> bool:
    """Ask on the terminal; without one there is nobody to ask, so refuse."""
    if not stdin.isatty():
        raise UserError("not erasing without confirmation: stdin is not a terminal; add --yes")
    out.write("Erase them? [y/N] ")
    out.flush()
    return stdin.readline().strip().lower() in ("y", "yes")
