"""Datetimes are stored naive in UTC and shown in the event's time zone, in the interface's language (Babel).

What a person reads goes through format_day and format_moment (and the template filters `day` and
`local_datetime` over them), never a bare strftime; machine formats (ISO, iCal, CSV) stay as they are.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates

from app.core.i18n import format_locale


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


# -- what people read: dates and times in the interface's language -----------------------------------------

#: Named formats of a day. The patterns are the locale's own in French and in British English (CLDR "EEEE d
#: MMMM"...), so one name reads right on both pages; "date" is the locale's long date.
DAY_FORMATS = {
    "day": "EEEE d MMMM",            # mercredi 2 juin · Wednesday 2 June
    "day_year": "EEEE d MMMM y",     # mercredi 2 juin 2027 · Wednesday 2 June 2027
    "day_short": "EEE d MMM",        # mer. 2 juin · Wed 2 Jun
    "weekday": "EEE d",              # mer. 2 · Wed 2
    "date": "long",                  # 2 juin 2027 · 2 June 2027
}
#: Named formats of a moment: a day format, then the locale's short time (14:05), joined the locale's way.
MOMENT_FORMATS = {
    "moment": "date",                # 2 juin 2027, 14:05 · 2 June 2027, 14:05
    "moment_day": "day_short",       # mer. 2 juin, 14:05 · Wed 2 Jun, 14:05
    "moment_weekday": "weekday",     # mer. 2, 14:05 · Wed 2, 14:05
}


def format_day(value: date, fmt: str = "day") -> str:
    """A day in the interface's language: a name of DAY_FORMATS, or a Babel pattern or style."""
    return babel_dates.format_date(value, DAY_FORMATS.get(fmt, fmt), locale=format_locale())


@lru_cache(maxsize=4096)
def _short_time(at: time, locale: str) -> str:
    """A wall-clock time in the language's short format (14:05): pages list thousands of them, often the same."""
    return babel_dates.format_time(at, "short", locale=locale)


def format_moment(value: datetime, tz_name: str, fmt: str = "moment") -> str:
    """A stored (naive UTC) datetime in the zone `tz_name`, in the interface's language.

    `fmt` is "time" (14:05), a name of MOMENT_FORMATS or DAY_FORMATS, or a Babel pattern or style.
    """
    local, locale = to_local(value, tz_name), format_locale()
    if fmt == "time":
        return _short_time(local.time(), str(locale))
    if fmt in MOMENT_FORMATS:
        pattern = Locale.parse(locale).datetime_formats["medium"]
        return pattern.format(babel_dates.format_time(local, "short", locale=locale),
                              format_day(local.date(), MOMENT_FORMATS[fmt]))
    if fmt in DAY_FORMATS:
        return format_day(local.date(), fmt)
    return babel_dates.format_datetime(local, fmt, locale=locale)


def format_span(start: datetime, end: datetime, tz_name: str) -> str:
    """Two stored datetimes of one day as "14:00–15:30"; the end's day is named when it is another."""
    a, b = to_local(start, tz_name), to_local(end, tz_name)
    last = format_moment(end, tz_name, "time" if a.date() == b.date() else "moment_weekday")
    return f"{format_moment(start, tz_name, 'time')}–{last}"
