"""When the device starts a conversation by itself: pure functions of the config, a day and a zone.

Times are wall-clock times of the person's zone, so "20:30" stays 20:30 across a DST change (a
time that does not exist that day moves forward by the gap; one that exists twice is the first).
Compare and subtract these times by timestamp: Python compares two datetimes of one zone by
their wall time, which is off by an hour across a DST change.
Daytime prompts fall at random minutes inside their windows, but the same day always gives the
same minutes (seeded by the date), so a restart does not reshuffle the day.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from assistant.names import Activity

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ScheduleConfig:
    reflect_at: str                  # "20:30"
    reflect_days: tuple[str, ...]    # of DAYS
    summary_day: str                 # of DAYS, or "" for never
    summary_at: str
    prompts_per_day: int
    prompt_windows: tuple[str, ...]  # "09:00-12:00"
    quiet_hours: str                 # "22:00-08:00" (may wrap midnight), or "" for none
    snooze_minutes: int
    max_snoozes: int
    evening_scripts: Mapping[str, str] = field(default_factory=dict)  # day -> script that evening


@dataclass(frozen=True, order=True)
class Event:
    at: datetime
    kind: Activity                   # one of SCHEDULED
    script: str = ""                 # for an evening: the script of that day ("" = the default)


def clock_time(text: str) -> time:
    """'20:30' -> 20:30; ValueError for anything else."""
    hours, minutes = text.split(":")
    if len(hours) != 2 or len(minutes) != 2:
        raise ValueError(text)
    return time(int(hours), int(minutes))


def span(text: str) -> tuple[time, time]:
    start, end = text.split("-")
    return clock_time(start.strip()), clock_time(end.strip())


def wall(day: date, at: time, zone: tzinfo) -> datetime:
    """That wall-clock time on that day in the zone; inside a DST gap, moved on by the gap."""
    moment = datetime.combine(day, at, tzinfo=zone)
    return moment.astimezone(UTC).astimezone(zone)


def quiet(moment: datetime, config: ScheduleConfig) -> bool:
    """Whether the wall time of moment lies in the quiet hours (start inclusive, end exclusive)."""
    if not config.quiet_hours:
        return False
    start, end = span(config.quiet_hours)
    now = moment.timetz().replace(tzinfo=None)
    return start <= now < end if start <= end else (now >= start or now < end)


def events_on(day: date, config: ScheduleConfig, zone: tzinfo, seed: str = "") -> list[Event]:
    """Everything scheduled on that day, in time order, none in the quiet hours."""
    weekday = DAYS[day.weekday()]
    found = []
    if weekday in config.reflect_days:
        found.append(Event(wall(day, clock_time(config.reflect_at), zone), Activity.REFLECT,
                           config.evening_scripts.get(weekday, "")))
    if weekday == config.summary_day:
        found.append(Event(wall(day, clock_time(config.summary_at), zone), Activity.SUMMARY))
    found += [Event(at, Activity.PROMPT) for at in prompt_times(day, config, zone, seed)]
    return sorted(e for e in found if not quiet(e.at, config))


def prompt_times(day: date, config: ScheduleConfig, zone: tzinfo, seed: str = "") -> list[datetime]:
    """prompts_per_day moments inside the windows, one in each equal share of their minutes."""
    minutes = [m for window in config.prompt_windows for m in _minutes(window)]
    minutes = [m for m in minutes if not quiet(wall(day, _at(m), zone), config)]
    count = min(config.prompts_per_day, len(minutes))
    if count <= 0:
        return []
    rng = random.Random(f"{seed}:{day.isoformat()}")
    share = len(minutes) / count
    picked = [minutes[int(n * share) + rng.randrange(max(1, int(share)))] for n in range(count)]
    return sorted({wall(day, _at(m), zone) for m in picked})


def next_event(after: datetime, config: ScheduleConfig, zone: tzinfo, seed: str = "") -> Event | None:
    """The first event strictly after `after` (looking a week ahead), or None when none is set."""
    today = after.astimezone(zone).date()
    for offset in range(8):
        for event in events_on(today + timedelta(days=offset), config, zone, seed):
            if event.at.timestamp() > after.timestamp():  # not wall times: DST-safe
                return event
    return None


def snoozed(event: Event, times: int, config: ScheduleConfig) -> datetime | None:
    """When to ask again after the person said "later" for the times-th time; None: let it go."""
    if times > config.max_snoozes:
        return None
    again = event.at + timedelta(minutes=config.snooze_minutes * times)
    return None if quiet(again, config) else again


def _minutes(window: str) -> list[int]:
    start, end = span(window)
    first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return list(range(first, last))


def _at(minute: int) -> time:
    return time(minute // 60, minute % 60)
