"""Where a retention period ends, computed from `now` (a naive UTC datetime).

Everything strictly older than its boundary is past it; a row exactly on the boundary is kept, and erased by the
first pass after that moment. Rows dated by a moment (a mail's creation, an audit row) are compared with
`now - N days`; rows that belong to an edition are compared by the edition's last day with `today - N days`
(the edition that ended on that very day is kept, as the leads' purge always did); people with `today - N years`.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta


def moment_before(now: datetime, days: int) -> datetime:
    """The moment `days` days before `now`: rows dated strictly before it are past."""
    return now - timedelta(days=days)


def day_before(now: datetime, days: int) -> date:
    """The day `days` days before `now`'s day: editions that ended strictly before it are past."""
    return now.date() - timedelta(days=days)


def years_before(now: datetime, years: int) -> date:
    """The same day `years` years before `now`'s day (29 February becomes the 28th in a common year)."""
    today = now.date()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def start_of(day: date) -> datetime:
    """Midnight (UTC) at the start of `day`: a moment strictly before it was on an earlier day."""
    return datetime.combine(day, time.min)
