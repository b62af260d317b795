"""Datetimes are stored naive in UTC and shown in the event's time zone."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, the form stored in the database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_local(value: datetime, tz_name: str) -> datetime:
    """A stored (naive UTC) datetime as an aware datetime in the zone `tz_name`."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(tz_name))


def local_to_utc(day: date, at: time, tz_name: str) -> datetime:
    """A wall-clock time on a day in `tz_name` as a naive UTC datetime."""
    aware = datetime.combine(day, at, tzinfo=ZoneInfo(tz_name))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)
