"""Signs of life for systemd's watchdog: the service loop, the microphone and the speaker beat.

A conversation can last many minutes, so the service loop alone cannot feed the watchdog; the
audio moves every tenth of a second while anything happens. A hang anywhere stops the beats.
"""

from __future__ import annotations

import time

_last = time.monotonic()


def beat() -> None:
    global _last
    _last = time.monotonic()


def age() -> float:
    """Seconds since the last sign of life."""
    return time.monotonic() - _last
