"""The service loop over a fake clock: schedule, 'good moment?', snooze, triggers, failures."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from assistant.errors import UserError
from assistant.schedule import ScheduleConfig
from assistant.service.control import ControlReply
from assistant.service.daemon import Service

AMS = ZoneInfo("Europe/Amsterdam")


def schedule(**changes) -> ScheduleConfig:
    values = dict(reflect_at="20:30", reflect_days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                  summary_day="", summary_at="19:30", prompts_per_day=0, prompt_windows=(),
                  quiet_hours="22:00-08:00", snooze_minutes=15, max_snoozes=3)
    values.update(changes)
    return ScheduleConfig(**values)


class World:
    """A fake clock, scripted answers and triggers; stops the service at `until`."""

    def __init__(self, start: str, until: str, answers=(), triggers=(), failures=()):
        self.now = datetime.fromisoformat(start).replace(tzinfo=AMS)
        self.until = datetime.fromisoformat(until).replace(tzinfo=AMS)
        self.answers, self.failures = list(answers), list(failures)
        self.triggers = sorted((datetime.fromisoformat(t).replace(tzinfo=AMS), a) for t, a in triggers)
        self.log: list[tuple[str, str]] = []
        self.pings = 0
        self.service: Service | None = None

    def clock(self) -> datetime:
        return self.now

    def wait(self, timeout: float):
        target = self.now + timedelta(seconds=timeout)
        if self.triggers and self.triggers[0][0] <= target:
            self.now, action = max(self.now, self.triggers[0][0]), self.triggers.pop(0)[1]
            return self.service.request(action) and self.service.next_trigger(0)
        self.now = target
        if self.now >= self.until:
            self.service.shutdown()
        return None

    # Activities
    def good_moment(self, kind):
        self.log.append((self.stamp(), f"asked {kind}"))
        return self.answers.pop(0) if self.answers else None

    def run(self, kind, script=""):
        kind = f"{kind} {script}".strip()
        if self.failures:
            failure = self.failures.pop(0)
            if failure:
                self.log.append((self.stamp(), f"failed {kind}"))
                raise failure
        self.log.append((self.stamp(), f"ran {kind}"))
        self.now += timedelta(minutes=10)

    def interrupt(self):
        self.log.append((self.stamp(), "interrupted"))

    # Notifier
    def ready(self):
        self.log.append((self.stamp(), "ready"))

    def watchdog(self):
        self.pings += 1

    def stopping(self):
        self.log.append((self.stamp(), "stopping"))

    def stamp(self) -> str:
        return self.now.strftime("%a %H:%M")


def run(world: World, **changes) -> list[tuple[str, str]]:
    world.service = Service(schedule(**changes), AMS, world, world, clock=world.clock, wait=world.wait)
    world.service.run()
    return world.log


def test_the_evening_session_is_asked_for_then_held():
    log = run(World("2026-11-23T18:00", "2026-11-23T23:00", answers=["yes"]))
    assert log == [("Mon 18:00", "ready"), ("Mon 20:30", "asked reflect"), ("Mon 20:30", "ran reflect"),
                   ("Mon 23:00", "stopping")]


def test_later_snoozes_fifteen_minutes_at_most_three_times():
    log = run(World("2026-11-23T20:00", "2026-11-23T21:59", answers=["later"] * 4))
    assert [e for e in log if "asked" in e[1]] == [
        ("Mon 20:30", "asked reflect"), ("Mon 20:45", "asked reflect"), ("Mon 21:00", "asked reflect"),
        ("Mon 21:15", "asked reflect")]
    assert not any("ran" in e[1] for e in log)


def test_no_answer_lets_it_go_until_the_next_scheduled_time():
    log = run(World("2026-11-23T20:00", "2026-11-24T21:00", answers=[None, "yes"]))
    assert [e for e in log if e[1] not in ("ready", "stopping")] == [
        ("Mon 20:30", "asked reflect"), ("Tue 20:30", "asked reflect"), ("Tue 20:30", "ran reflect")]


def test_a_daytime_prompt_asks_no_good_moment_question():
    log = run(World("2026-11-23T08:30", "2026-11-23T18:00"), reflect_days=(), prompts_per_day=2,
              prompt_windows=("09:00-12:00",))
    assert [e[1] for e in log] == ["ready", "ran prompt", "ran prompt", "stopping"]


def test_a_trigger_runs_at_once_and_the_same_kind_due_meanwhile_is_not_asked_again():
    log = run(World("2026-11-23T20:00", "2026-11-23T21:00", triggers=[("2026-11-23T20:25", "reflect")]))
    assert [e for e in log if e[1] not in ("ready", "stopping")] == [("Mon 20:25", "ran reflect")]


def test_stop_with_nothing_running_says_so():
    world = World("2026-11-23T12:00", "2026-11-23T12:01")
    service = Service(schedule(), AMS, world, world, clock=world.clock, wait=world.wait)
    assert service.request("stop") == ControlReply(False, "nothing is running")
    assert service.request("summary") == ControlReply(True, "starting a summary")


def test_a_missing_device_is_retried_with_backoff_and_the_service_stays_up():
    gone = UserError("no microphone found; plug it in")
    world = World("2026-11-23T20:00", "2026-11-24T21:00", answers=["yes"] * 5,
                  failures=[gone, gone, None, None])
    log = run(world)
    assert [e for e in log if e[1] not in ("ready", "stopping")] == [
        ("Mon 20:30", "asked reflect"), ("Mon 20:30", "failed reflect"),
        ("Mon 20:30", "asked reflect"), ("Mon 20:30", "failed reflect"),
        ("Mon 20:31", "asked reflect"), ("Mon 20:31", "ran reflect"),
        ("Tue 20:30", "asked reflect"), ("Tue 20:30", "ran reflect")]


def test_an_exception_in_one_session_does_not_stop_the_service():
    world = World("2026-11-23T20:00", "2026-11-24T21:00", answers=["yes", "yes"],
                  failures=[RuntimeError("bug"), None])
    log = run(world)
    assert ("Tue 20:30", "ran reflect") in log and log[-1][1] == "stopping"


def test_the_watchdog_is_pinged_at_least_every_ten_seconds_while_idle():
    world = World("2026-11-23T12:00", "2026-11-23T13:00")
    run(world)
    assert world.pings >= 360


def test_a_session_far_past_its_time_is_let_go():
    world = World("2026-11-23T20:00", "2026-11-23T23:00", answers=["yes"])

    def jump(timeout):  # the device slept (suspended) from 20:10 to 22:00
        if world.now.hour == 20 and world.now.minute >= 10:
            world.now = world.now.replace(hour=22, minute=0)
        return world.wait(timeout)

    world.service = Service(schedule(), AMS, world, world, clock=world.clock, wait=jump)
    world.service.run()
    assert not any("reflect" in e[1] for e in world.log)


def test_the_wake_phrase_heard_while_idle_starts_a_wake_conversation():
    world = World("2026-11-23T12:00", "2026-11-23T12:05")
    heard = iter([False, True])

    def idle(seconds, stop):
        world.now += timedelta(seconds=seconds)
        if world.now >= world.until:
            world.service.shutdown()
        return next(heard, False)

    world.service = Service(schedule(), AMS, world, world, clock=world.clock, idle=idle)
    world.service.run()
    assert [e[1] for e in world.log] == ["ready", "ran wake", "stopping"]


def test_a_missing_microphone_while_idle_is_retried_later_and_triggers_still_work():
    world = World("2026-11-23T12:00", "2026-11-23T12:01")
    attempts = []

    def idle(seconds, stop):
        attempts.append(seconds)
        raise UserError("no microphone found; plug it in")

    service = Service(schedule(), AMS, world, world, clock=world.clock, idle=idle)
    service.request("prompt")
    assert service.next_trigger(0.01) == "prompt"   # the queue still works
    assert service.next_trigger(0.01) is None        # and idle listening waits before retrying
    assert len(attempts) == 1


def test_later_said_inside_the_session_asks_again_after_the_snooze():
    world = World("2026-11-23T20:00", "2026-11-23T21:00", answers=["yes", "yes"])
    outcomes = iter(["later", None])
    ran = world.run

    def run_once(kind, script=""):
        ran(kind, script)
        return next(outcomes)

    world.run = run_once
    log = run(world)
    assert [e for e in log if e[1] not in ("ready", "stopping")] == [
        ("Mon 20:30", "asked reflect"), ("Mon 20:30", "ran reflect"),   # ... "later", at 20:40
        ("Mon 20:55", "asked reflect"), ("Mon 20:55", "ran reflect")]


def test_the_scheduled_evening_runs_that_days_script_and_triggers_name_one():
    world = World("2026-11-25T20:00", "2026-11-25T21:30", answers=["yes"],
                  triggers=[("2026-11-25T21:00", "reflect verzet")])
    log = run(world, evening_scripts={"wed": "verzet"}, reflect_at="20:30")
    assert [e[1] for e in log if "ran" in e[1]] == ["ran reflect verzet", "ran reflect verzet"]


def test_an_action_the_loop_does_not_know_is_refused():
    world = World("2026-11-23T12:00", "2026-11-23T12:01")
    service = Service(schedule(), AMS, world, world, clock=world.clock, wait=world.wait)
    assert service.request("dance") == ControlReply(False, "unknown action 'dance'")
