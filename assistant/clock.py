"""Local time with its UTC offset: how every timestamp is stored."""

from datetime import datetime


def local_now() -> datetime:
    return datetime.now().astimezone()


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
