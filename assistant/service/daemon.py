"""The always-on service loop: one conversation at a time, from the schedule or a trigger.

The loop only decides *when* and *what*; the conversations themselves are the Activities role
(the real one holds the loaded model and the audio devices). The clock and the wait for a
trigger are passed in, so tests and the soak benchmark run days of schedule in moments.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from assistant.clock import local_now
from assistant.errors import UserError
from assistant.names import Activity, Consent
from assistant.schedule import Event, ScheduleConfig, next_event, snoozed
from assistant.service.control import STOP, ControlReply
from assistant.service.starts import Starts
from assistant.service.triggers import Idle, Triggers

log = logging.getLogger(__name__)

WATCHDOG_SECONDS = 10.0       # the loop wakes at least this often (watchdog ping, clock jumps)
STALE_SECONDS = 3600          # a scheduled conversation this late (device was off) is let go
RETRY_SECONDS = (30, 60, 120, 300)  # a scheduled conversation that failed (device gone) again after
ASKS_FIRST = (Activity.REFLECT, Activity.SUMMARY)  # a daytime prompt is one short question: it just asks
START_WAIT_SECONDS = 4.0      # how long `assistant trigger` waits to hear started / could not start
_KINDS = frozenset(Activity)


class Activities(Protocol):
    def good_moment(self, kind: Activity) -> Consent | None:
        """Ask whether now suits: yes, later, no, or None when nobody answered."""

    def run(self, kind: Activity, script: str = "") -> Consent | None:
        """Hold one conversation: reflect (with script, or the default), summary, prompt, or
        wake (ask what). Returns LATER when the person asked to go on later."""

    def interrupt(self) -> None:
        """End the conversation in progress soon, keeping what was said."""


class Notifier(Protocol):
    def ready(self) -> None: ...
    def watchdog(self) -> None: ...
    def stopping(self) -> None: ...


@dataclass(frozen=True)
class Due:
    event: Event
    when: datetime       # the event's time, or a snoozed or retried one
    snoozes: int = 0
    failures: int = 0


class Service:
    def __init__(self, schedule: ScheduleConfig, zone: tzinfo, activities: Activities,
                 notifier: Notifier, *, clock: Callable[[], datetime] = local_now, seed: str = "",
                 wait: Callable[[float], str | None] | None = None,
                 idle: Idle | None = None, starts: Starts | None = None) -> None:
        self.starts = starts or Starts()
        self._schedule, self._zone, self._activities = schedule, zone, activities
        self._notifier, self._clock, self._seed = notifier, clock, seed
        self._busy: Activity | None = None
        self._exit = threading.Event()
        self._triggers = Triggers(idle, self._exit.is_set, RETRY_SECONDS)  # idle: the wake phrase
        self._wait = wait or self.next_trigger

    # --- from other threads: the control socket, the signal handler ---------------------

    def request(self, action: str) -> ControlReply:
        """A trigger ("reflect", "reflect verzet", "stop"...); the reply for `assistant trigger`."""
        if action == STOP:
            if self._busy is None:
                return ControlReply(False, "nothing is running")
            self._activities.interrupt()
            return ControlReply(True, f"stopping the {self._busy}; what was said is kept")
        if self._busy is not None:
            return ControlReply(False, f"busy with a {self._busy}; try again when it is over")
        if action.partition(" ")[0] not in _KINDS:  # the loop holds only what it knows
            return ControlReply(False, f"unknown action '{action}'")
        self._triggers.put(action)
        return ControlReply(True, f"starting a {action}")

    def request_and_wait(self, action: str, seconds: float = START_WAIT_SECONDS) -> ControlReply:
        """A trigger whose reply says whether the conversation started (or why not), within
        `seconds`; still under way without a word by then counts as started."""
        if action == STOP:
            return self.request(action)
        pending = self.starts.expect(action)
        reply = self.request(action)
        if not reply.ok:
            self.starts.forget(pending)  # never queued
            return reply
        if pending.wait(seconds):
            return pending.reply
        return ControlReply(True, f"started the {action.split()[0]}")

    def shutdown(self) -> None:
        self.starts.cancel("the service is stopping")
        self._exit.set()
        if self._busy is not None:
            self._activities.interrupt()
        self._triggers.put(None)

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> None:
        self._notifier.ready()
        due = self._next_due(self._clock())
        while not self._exit.is_set():
            action = self._wait(wait_seconds(due, self._clock()))
            self._notifier.watchdog()
            if self._exit.is_set():
                break
            now = self._clock()
            if action:
                later = self._hold(action)
                if due is not None and due.event.kind == action.split()[0] and \
                        due.when.timestamp() <= self._clock().timestamp():
                    due = self._next_due(self._clock())  # just held: not asked again right after
                if later is not None and (due is None or later.when.timestamp() < due.when.timestamp()):
                    due = later
            elif due is None:
                due = self._next_due(now)
            elif now.timestamp() - due.when.timestamp() > STALE_SECONDS:
                log.info("the %s of %s is long past; waiting for the next one", due.event.kind, due.when)
                due = self._next_due(now)
            elif now.timestamp() >= due.when.timestamp():
                due = self._scheduled(due, now)
        self._notifier.stopping()

    def _scheduled(self, due: Due, now: datetime) -> Due | None:
        """Ask (for sessions) and hold the conversation; the next Due: a snooze, a retry, or next."""
        kind = due.event.kind
        try:
            answer = self._activities.good_moment(kind) if kind in ASKS_FIRST else Consent.YES
            if answer == Consent.YES:
                self._busy = kind
                answer = self._activities.run(kind, due.event.script)
            if answer == Consent.LATER:
                return self._snooze(due, self._clock())
        except UserError as error:
            return self._retry(due, now, str(error))
        except Exception:  # one broken conversation never stops the service
            log.exception("the %s failed", kind)
        finally:
            self._busy = None
        return self._next_due(now)

    def _snooze(self, due: Due, now: datetime) -> Due | None:
        """Ask again snooze_minutes from now (after "later"), at most max_snoozes times."""
        allowed = due.snoozes + 1 <= self._schedule.max_snoozes
        when = snoozed(Event(now, due.event.kind), 1, self._schedule) if allowed else None
        log.info("the %s is asked again later (%d)", due.event.kind, due.snoozes + 1)
        return Due(due.event, when, due.snoozes + 1) if when else self._next_due(now)

    def _retry(self, due: Due, now: datetime, why: str) -> Due | None:
        if due.failures >= len(RETRY_SECONDS):
            log.warning("%s: giving up on the %s until its next time", why, due.event.kind)
            return self._next_due(now)
        delay = RETRY_SECONDS[due.failures]
        log.warning("%s; trying the %s again in %d s", why, due.event.kind, delay)
        return Due(due.event, now + timedelta(seconds=delay), due.snoozes, due.failures + 1)

    def _hold(self, action: str) -> Due | None:
        """A triggered conversation, at once (no 'good moment?': the person asked for it).
        When the person says "later", the Due that asks again."""
        word, _, script = action.partition(" ")
        kind = Activity(word)
        self._busy = kind
        self.starts.holding(action)
        why = ""
        try:
            if self._activities.run(kind, script) == Consent.LATER and kind in ASKS_FIRST:
                now = self._clock()
                return self._snooze(Due(Event(now, kind, script), now), now)
        except UserError as error:
            why = str(error)
            log.warning("the %s could not run: %s", action, error)
        except Exception as error:
            why = f"it failed ({type(error).__name__}); see the service log"
            log.exception("the %s failed", action)
        finally:
            self._busy = None
            self.starts.ended(why)
        return None

    def _next_due(self, after: datetime) -> Due | None:
        event = next_event(after, self._schedule, self._zone, self._seed)
        return Due(event, event.at) if event else None

    def next_trigger(self, timeout: float) -> str | None:
        """A trigger, "wake" when the wake phrase was heard, or None after timeout seconds.

        The service's own wait; public so that a wait given to the constructor (a simulated
        clock) can take the trigger that request() queued."""
        return self._triggers.next(timeout)


def wait_seconds(due: Due | None, now: datetime) -> float:
    """How long the loop may wait now: until the due conversation, at most WATCHDOG_SECONDS."""
    if due is None:
        return WATCHDOG_SECONDS
    return min(WATCHDOG_SECONDS, max(0.0, due.when.timestamp() - now.timestamp()))
