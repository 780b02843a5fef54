"""Whether a triggered conversation started: the answer `assistant trigger` waits for.

The control socket's thread waits on a _Pending; the service loop's thread settles it. Kept apart
from the loop so the loop stays about *when* and *what*.
"""

from __future__ import annotations

import threading

from assistant.service.control import ControlReply


class _Pending:
    """One trigger waiting to hear whether its conversation started."""

    def __init__(self, action: str) -> None:
        self.action, self._done = action, threading.Event()
        self.reply = ControlReply(False, "")

    def settle(self, reply: ControlReply) -> None:
        if not self._done.is_set():
            self.reply = reply
            self._done.set()

    def wait(self, seconds: float) -> bool:
        return self._done.wait(seconds)


class Starts:
    """Tells a waiting `assistant trigger` whether its conversation started, or why it could not.

    The loop thread settles the trigger it is holding: `started()` once the conversation is under
    way (the activities call it when the audio devices are open), `ended(why)` when it is over or
    could not start. Triggers are held in the order they were queued, so the oldest waiting one
    of an action is the one being held.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[_Pending] = []
        self._current: _Pending | None = None

    def expect(self, action: str) -> _Pending:
        pending = _Pending(action)
        with self._lock:
            self._waiting.append(pending)
        return pending

    def forget(self, pending: _Pending) -> None:
        with self._lock:
            if pending in self._waiting:
                self._waiting.remove(pending)

    def holding(self, action: str) -> None:
        with self._lock:
            self._current = next((p for p in self._waiting if p.action == action), None)
            if self._current is not None:
                self._waiting.remove(self._current)

    def started(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.settle(ControlReply(True, f"started the {self._current.action.split()[0]}"))

    def ended(self, why: str = "") -> None:
        with self._lock:
            current, self._current = self._current, None
        if current is not None:
            kind = current.action.split()[0]
            current.settle(ControlReply(False, f"the {kind} could not start: {why}") if why
                           else ControlReply(True, f"the {kind} ran"))

    def cancel(self, why: str) -> None:
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for pending in waiting:
            pending.settle(ControlReply(False, why))
