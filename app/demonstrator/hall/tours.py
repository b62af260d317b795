"""A tour slot's time in words: its day and hours in the edition's time zone ("mer. 3 juin · 14:00–15:30").

The one place that names a tour window, so the plan, the route sheets, the itinerary, the wishes and the
hall pages all say which day a tour is on, in the reader's language (Babel).
"""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import get_locale

from app.core.timefmt import to_local


def tour_day(moment: datetime, tz: str) -> str:
    """The day of a stored (naive UTC) time, short, in the reader's language: "mer. 3 juin", "Wed, Jun 3"."""
    return format_skeleton("MMMEd", to_local(moment, tz), locale=get_locale() or "fr")


def tour_window(starts_at: datetime, ends_at: datetime, tz: str) -> str:
    """A tour window with its day: "mer. 3 juin · 14:00–15:30" (the end's day too if it ends on another)."""
    start, end = to_local(starts_at, tz), to_local(ends_at, tz)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{tour_day(ends_at, tz)} {end:%H:%M}"
    return f"{tour_day(starts_at, tz)} · {start:%H:%M}–{until}"


def slot_label(slot, tz: str) -> str:
    """A tour slot (`TourSlot`) named for a list: its label, then its day and hours."""
    window = tour_window(slot.starts_at, slot.ends_at, tz)
    return f"{slot.label} ({window})" if slot.label else window
