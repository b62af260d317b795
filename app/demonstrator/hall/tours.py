"""A tour slot's time in words: its day and hours in the edition's time zone ("mer. 2 juin · 14:00–15:30").

The one place that names a tour window, so the plan, the route sheets, the itinerary, the wishes and the
hall pages all say which day a tour is on, in the reader's language (app.core.timefmt's Babel formats).
"""
from __future__ import annotations

from datetime import datetime

from app.core.i18n import localized
from app.core.timefmt import format_moment, format_span


def tour_day(moment: datetime, tz: str) -> str:
    """The day of a stored (naive UTC) time, short, in the reader's language: "mer. 2 juin", "Wed 2 Jun"."""
    return format_moment(moment, tz, "day_short")


def tour_window(starts_at: datetime, ends_at: datetime, tz: str) -> str:
    """A tour window with its day: "mer. 2 juin · 14:00–15:30" (the end's day too if it ends on another)."""
    return f"{tour_day(starts_at, tz)} · {format_span(starts_at, ends_at, tz)}"


def slot_label(slot, tz: str) -> str:
    """A tour slot (`TourSlot`) named for a list: its label in the reader's language, then its day and hours."""
    window, label = tour_window(slot.starts_at, slot.ends_at, tz), localized(slot, "label")
    return f"{label} ({window})" if label else window
