"""systemd's notify protocol over a real datagram socket: ready, watchdog only while alive, stopping.

Waits end on what they wait for (a message, the heartbeat's age) with a generous deadline, not
after a fixed sleep; only "nothing comes" needs a window of time.
"""

from __future__ import annotations

import socket
import threading
import time

from assistant import heartbeat
from assistant.service.notify import SystemdNotifier

PATIENCE = 10.0  # seconds: a busy two-core board is slow, never this slow


def received(listener: socket.socket, seconds: float) -> list[str]:
    found, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        listener.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            found.append(listener.recv(256).decode())
        except TimeoutError:
            break
    return found


def until(listener: socket.socket, wanted: str) -> list[str]:
    """Messages up to and including the first that starts with `wanted`."""
    found, deadline = [], time.monotonic() + PATIENCE
    while not found or not found[-1].startswith(wanted):
        listener.settimeout(max(0.01, deadline - time.monotonic()))
        found.append(listener.recv(256).decode())  # TimeoutError past the deadline: the test fails
    return found


def silent_for(seconds: float) -> None:
    """Return once nothing has beaten for `seconds` (the loop hangs)."""
    deadline = time.monotonic() + PATIENCE
    while heartbeat.age() < seconds and time.monotonic() < deadline:
        threading.Event().wait(0.01)


def test_ready_watchdog_while_beating_and_stopping(tmp_path):
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(path))
        notifier = SystemdNotifier(str(path), watchdog_usec="300000")  # pings every 0.1 s
        heartbeat.beat()
        notifier.ready()
        first = until(listener, "WATCHDOG=1")
        assert first[0].startswith("READY=1") and "WATCHDOG=1" in first[1:]
        silent_for(0.3)           # no beats for longer than half the limit: a hang
        received(listener, 0.05)  # drain a ping already on its way
        assert "WATCHDOG=1" not in received(listener, 0.4)
        notifier.watchdog()       # the loop is alive again
        assert "WATCHDOG=1" in until(listener, "WATCHDOG=1")
        notifier.stopping()
        assert "STOPPING=1" in until(listener, "STOPPING=1")


def test_without_notify_socket_nothing_is_sent(monkeypatch):
    made = []
    monkeypatch.setattr(socket, "socket", lambda *args, **kwargs: made.append(args))
    threads = set(threading.enumerate())
    notifier = SystemdNotifier("", watchdog_usec="300000")  # a limit, but nowhere to send
    notifier.ready()
    notifier.watchdog()
    notifier.stopping()  # no socket, no thread, no error
    assert made == []
    assert set(threading.enumerate()) == threads
