"""systemd's notify protocol over a real datagram socket: ready, watchdog only while alive, stopping."""

from __future__ import annotations

import socket
import time

from assistant import heartbeat
from assistant.notify import SystemdNotifier


def received(listener: socket.socket, seconds: float) -> list[str]:
    found, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        listener.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            found.append(listener.recv(256).decode())
        except TimeoutError:
            break
    return found


def test_ready_watchdog_while_beating_and_stopping(tmp_path):
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(path))
        notifier = SystemdNotifier(str(path), watchdog_usec="300000")  # pings every 0.1 s
        heartbeat.beat()
        notifier.ready()
        first = received(listener, 0.35)
        assert first[0].startswith("READY=1") and "WATCHDOG=1" in first[1:]
        time.sleep(0.3)           # no beats for longer than half the limit: a hang
        received(listener, 0.05)  # drain a ping already on its way
        assert "WATCHDOG=1" not in received(listener, 0.4)
        notifier.watchdog()       # the loop is alive again
        assert "WATCHDOG=1" in received(listener, 0.4)
        notifier.stopping()
        assert "STOPPING=1" in received(listener, 0.4)


def test_without_notify_socket_nothing_is_sent():
    notifier = SystemdNotifier("", watchdog_usec="")
    notifier.ready()
    notifier.watchdog()
    notifier.stopping()  # no socket, no thread, no error
