"""The schedule with an injected zone and clock: DST changes, quiet hours, snooze, prompts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.schedule import (
    Event,
    ScheduleConfig,
    events_on,
    next_event,
    prompt_times,
    quiet,
    snoozed,
)

AMS = ZoneInfo("Europe/Amsterdam")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def config(**changes) -> ScheduleConfig:
    values = dict(reflect_at="20:30", reflect_days=EVERY_DAY, summary_day="sun", summary_at="19:30",
                  prompts_per_day=3, prompt_windows=("09:00-12:00", "13:00-17:00"),
                  quiet_hours="22:00-08:00", snooze_minutes=15, max_snoozes=3)
    values.update(changes)
    return ScheduleConfig(**values)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=AMS)


def test_a_sunday_has_prompts_the_summary_and_the_reflection_in_order():
    kinds = [e.kind for e in events_on(date(2026, 11, 22), config(), AMS)]
    assert kinds == ["prompt", "prompt", "prompt", "summary", "reflect"]


def test_the_evening_stays_at_2030_wall_time_across_the_autumn_dst_change():
    before = events_on(date(2026, 10, 24), config(prompts_per_day=0), AMS)
    after = events_on(date(2026, 10, 25), config(prompts_per_day=0, summary_day=""), AMS)
    assert before[0].at.isoformat() == "2026-10-24T20:30:00+02:00"
    assert after[0].at.isoformat() == "2026-10-25T20:30:00+01:00"
    assert after[0].at.timestamp() - before[0].at.timestamp() == 25 * 3600


def test_a_time_inside_the_spring_dst_gap_moves_on_by_the_gap():
    (event,) = events_on(date(2026, 3, 29), config(reflect_at="02:30", quiet_hours="",
                                                   prompts_per_day=0, summary_day=""), AMS)
    assert event.at.isoformat() == "2026-03-29T03:30:00+02:00"


def test_a_time_that_happens_twice_is_the_first_one():
    (event,) = events_on(date(2026, 10, 25), config(reflect_at="02:30", quiet_hours="",
                                                    prompts_per_day=0, summary_day=""), AMS)
    assert event.at.isoformat() == "2026-10-25T02:30:00+02:00"


def test_nothing_is_scheduled_in_quiet_hours():
    events = events_on(date(2026, 11, 23), config(reflect_at="22:30", prompt_windows=("07:00-09:00",)), AMS)
    assert events and all(e.kind == "prompt" and e.at.hour == 8 for e in events)


def test_quiet_hours_wrap_midnight():
    cfg = config()
    assert quiet(local("2026-11-22T23:59"), cfg) and quiet(local("2026-11-23T07:59"), cfg)
    assert not quiet(local("2026-11-23T08:00"), cfg) and not quiet(local("2026-11-22T21:59"), cfg)
    assert not quiet(local("2026-11-22T03:00"), config(quiet_hours=""))


def test_prompts_fall_inside_the_windows_one_per_share_and_are_the_same_after_a_restart():
    times = prompt_times(date(2026, 11, 23), config(), AMS, seed="device")
    assert len(times) == 3 and times == sorted(times)
    assert all(9 <= t.hour < 12 or 13 <= t.hour < 17 for t in times)
    assert times == prompt_times(date(2026, 11, 23), config(), AMS, seed="device")
    days = {tuple(t.time() for t in prompt_times(date(2026, 11, d), config(), AMS)) for d in range(1, 15)}
    assert len(days) > 10  # a different rhythm most days


def test_next_event_is_strictly_after_now_and_skips_unscheduled_days():
    cfg = config(reflect_days=("wed",), summary_day="", prompts_per_day=0)
    found = next_event(local("2026-11-22T20:30"), cfg, AMS)  # a Sunday
    assert found == Event(local("2026-11-25T20:30"), "reflect")
    assert next_event(found.at, cfg, AMS).at == local("2026-12-02T20:30")


def test_nothing_scheduled_at_all_is_none():
    cfg = config(reflect_days=(), summary_day="", prompts_per_day=0)
    assert next_event(local("2026-11-22T12:00"), cfg, AMS) is None


def test_snooze_asks_again_later_at_most_max_snoozes_times():
    event = Event(local("2026-11-22T20:30"), "reflect")
    assert [snoozed(event, n, config()) for n in (1, 2, 3, 4)] == [
        local("2026-11-22T20:45"), local("2026-11-22T21:00"), local("2026-11-22T21:15"), None]


def test_a_snooze_into_quiet_hours_lets_the_session_go():
    assert snoozed(Event(local("2026-11-22T21:50"), "reflect"), 1, config()) is None


@pytest.mark.parametrize("when", ["2026-03-28T20:30", "2026-10-24T20:30"])
def test_the_next_evening_after_a_dst_change_is_at_2030_local(when):
    cfg = config(prompts_per_day=0, summary_day="")
    following = next_event(local(when), cfg, AMS)
    assert (following.at.hour, following.at.minute) == (20, 30)
    assert following.at.date() == local(when).date() + timedelta(days=1)


def test_an_evening_can_run_another_script_on_chosen_days():
    cfg = config(prompts_per_day=0, summary_day="", evening_scripts={"wed": "verzet"})
    wednesday, thursday = events_on(date(2026, 11, 25), cfg, AMS), events_on(date(2026, 11, 26), cfg, AMS)
    assert [(e.kind, e.script) for e in wednesday + thursday] == [("reflect", "verzet"), ("reflect", "")]
