"""Which journal file an answer belongs to (its ISO week), and answer ids that name that file.

An id is <iso year><iso week><5-digit record number>, e.g. 2026-W47 record 5 is 20264700005:
a plain int (what the session keeps), unique across files, that leads straight to its file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

PER_WEEK = 100_000
_NAME = re.compile(r"^(\d{4})-W(\d{2})$")


def local_date(started_at: str) -> date:
    """The date as the person lived it: the local date of the stored time, not the UTC one."""
    return datetime.fromisoformat(started_at).date()


def week_of(started_at: str) -> tuple[int, int]:
    year, week, _ = local_date(started_at).isocalendar()
    return year, week


def week_of_date(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def week_name(year: int, week: int) -> str:
    return f"{year:04d}-W{week:02d}"


def parse_week_name(stem: str) -> tuple[int, int] | None:
    match = _NAME.match(stem)
    return (int(match[1]), int(match[2])) if match else None


def make_id(year: int, week: int, record: int) -> int:
    if not 0 < record < PER_WEEK:
        raise ValueError(f"week {week_name(year, week)} cannot hold record {record}")
    return (year * 100 + week) * PER_WEEK + record


def split_id(answer_id: int) -> tuple[int, int, int]:
    """(iso year, iso week, record number) of an id."""
    week_key, record = divmod(int(answer_id), PER_WEEK)
    return week_key // 100, week_key % 100, record


def week_overlaps(year: int, week: int, since: date | None, until: date | None) -> bool:
    """Whether any day of that ISO week lies within since..until (both inclusive)."""
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        return False
    return (since is None or monday + timedelta(days=6) >= since) and (until is None or monday <= until)


def week_files(folder: Path) -> list[tuple[int, int, Path]]:
    """The week files in folder, oldest first."""
    found = []
    for path in folder.glob("????-W??.json"):
        parsed = parse_week_name(path.stem)
        if parsed:
            found.append((*parsed, path))
    return sorted(found)


def by_week(items: Iterable[T], week: Callable[[T], tuple[int, int]]) -> list[tuple[int, int, list[T]]]:
    """items grouped by the ISO week `week` gives each: weeks oldest first, items in their order.

    Every change to many answers is one write per week file, so each groups this way first."""
    groups: dict[tuple[int, int], list[T]] = {}
    for item in items:
        groups.setdefault(week(item), []).append(item)
    return [(year, number, found) for (year, number), found in sorted(groups.items())]


def records_by_week(answer_ids: Iterable[int]) -> list[tuple[int, int, list[int]]]:
    """The record numbers of answer_ids, grouped by the week file that holds them."""
    return [(year, week, [split_id(n)[2] for n in ids])
            for year, week, ids in by_week(answer_ids, lambda n: split_id(n)[:2])]
