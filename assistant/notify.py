"""systemd's notify protocol (Type=notify, WatchdogSec): a datagram to $NOTIFY_SOCKET.

Twenty lines of the documented protocol instead of a dependency; without NOTIFY_SOCKET (not
under systemd) every call does nothing.
"""

from __future__ import annotations

import os
import socket


class SystemdNotifier:
    def __init__(self, address: str | None = None):
        address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
        self._address = "\0" + address[1:] if address.startswith("@") else address  # abstract socket

    def ready(self) -> None:
        self._send("READY=1\nSTATUS=waiting for the next conversation")

    def watchdog(self) -> None:
        self._send("WATCHDOG=1")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def _send(self, message: str) -> None:
        if not self._address:
            return
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            try:
                sender.sendto(message.encode(), self._address)
            except OSError:
                pass  # systemd gone (shutting down): nothing to tell
