"""What the service loop waits for between conversations: a trigger, or the wake phrase.

Triggers come from other threads (the control socket, the signal handler) and the loop takes
them one at a time. With a wake-phrase listener the loop listens while it waits; a microphone
that is gone (unplugged, taken by another program) is tried again later rather than stopping
the service, and the triggers keep working meanwhile.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable

from assistant.errors import UserError
from assistant.names import Activity

log = logging.getLogger(__name__)

# Listen for the wake phrase up to `seconds`, until `stop()` is true; True when it was heard.
Idle = Callable[[float, Callable[[], bool]], bool]


class Triggers:
    """The queue of triggers for the loop, and the wake-phrase listener it waits with."""

    def __init__(self, idle: Idle | None, stopping: Callable[[], bool],
                 retry_seconds: tuple[int, ...]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._idle, self._stopping, self._retry_seconds = idle, stopping, retry_seconds
        self._failures, self._resumes = 0, 0.0  # of the listener: it is tried again at _resumes

    def put(self, action: str | None) -> None:
        """Queue a trigger; None only wakes the loop (to see that it is stopping)."""
        self._queue.put(action)

    def next(self, timeout: float) -> str | None:
        """A trigger, "wake" when the wake phrase was heard, or None after timeout seconds."""
        if self._idle is not None and time.monotonic() >= self._resumes:
            heard = self._listen(self._idle, timeout)
            if heard:
                return Activity.WAKE
            if heard is not None:
                timeout = 0.0  # listened all the time there was: a trigger ended it, or none came
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def _listen(self, idle: Idle, timeout: float) -> bool | None:
        """Whether the wake phrase was heard; None when the microphone is gone (tried later)."""
        try:
            heard = idle(timeout, lambda: self._stopping() or not self._queue.empty())
        except UserError as error:  # the microphone is gone: wait, and try it again later
            delay = self._retry_seconds[min(self._failures, len(self._retry_seconds) - 1)]
            self._failures += 1
            self._resumes = time.monotonic() + delay
            log.warning("%s; listening for the wake phrase again in %d s", error, delay)
            return None
        self._failures = 0
        return heard
