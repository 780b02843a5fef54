"""systemd's notify protocol (Type=notify, WatchdogSec): a datagram to $NOTIFY_SOCKET.

Twenty lines of the documented protocol instead of a dependency; without NOTIFY_SOCKET (not
under systemd) every call does nothing.
"""

from __future__ import annotations

import os
import socket
import threading

from assistant import heartbeat


class SystemdNotifier:
    """READY and STOPPING when they happen; WATCHDOG=1 from a thread, only while beats come."""

    def __init__(self, address: str | None = None, watchdog_usec: str | None = None):
        address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
        self._address = "\0" + address[1:] if address.startswith("@") else address  # abstract socket
        usec = watchdog_usec if watchdog_usec is not None else os.environ.get("WATCHDOG_USEC", "")
        self._limit = int(usec) / 1e6 if usec.isdigit() else 0.0
        self._done = threading.Event()

    def ready(self) -> None:
        self._send("READY=1\nSTATUS=waiting for the next conversation")
        if self._address and self._limit:
            threading.Thread(target=self._keep_alive, name="watchdog", daemon=True).start()

    def watchdog(self) -> None:
        heartbeat.beat()

    def stopping(self) -> None:
        self._done.set()
        self._send("STOPPING=1")

    def _keep_alive(self) -> None:
        """Ping at a third of the limit while something beat within half of it."""
        while not self._done.wait(self._limit / 3):
            if heartbeat.age() < self._limit / 2:
                self._send("WATCHDOG=1")

    def _send(self, message: str) -> None:
        if not self._address:
            return
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            try:
                sender.sendto(message.encode(), self._address)
            except OSError:
                pass  # systemd gone (shutting down): nothing to tell
