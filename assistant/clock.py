"""Local time with its UTC offset: how every timestamp is stored; and the zone with its DST rules."""

import os
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo


def local_now() -> datetime:
    return datetime.now().astimezone()


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def local_zone() -> tzinfo:
    """The system's zone with its DST rules (TZ, else /etc/localtime), so schedules keep wall time.

    Without zone data, today's fixed offset (a DST change then shifts the schedule by an hour).
    """
    name = os.environ.get("TZ", "").lstrip(":")
    try:
        if name:
            return ZoneInfo(name)
        with open("/etc/localtime", "rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError, KeyError):
        zone = local_now().tzinfo
        assert zone is not None  # local_now() is aware
        return zone
