"""What a person has planned on days they did not register for, gathered from the features that plan time.

The program (agenda, workshop seats) and any other feature that puts a person somewhere on a given day
registers a check at start-up; the organiser's registration page lists what they find, so that an organiser
sees at once that a mayor registered for Wednesday and Thursday holds a seat in a Friday workshop. The checks
are kept per app, in `app.extensions`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from babel.lists import format_list
from flask import Flask, current_app

from app.core.i18n import format_locale
from app.core.timefmt import format_day

from app.registrations.models import Registration

EXTENSION_KEY = "mediane.registrations.day_checks"


@dataclass(frozen=True)
class OffDay:
    """Something planned for the person on a day they do not attend: its day and what it is (current locale)."""

    day: date
    what: str


DayCheck = Callable[[Registration], list[OffDay]]


def add_day_check(app: Flask, check: DayCheck) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(check)


def attends(registration: Registration, day: date) -> bool:
    return day.isoformat() in (registration.days or [])


def days_text(registration: Registration) -> str:
    """The days the person registered for, as a sentence would list them ("Wednesday 2 June and Thursday 3 June")."""
    days = [format_day(date.fromisoformat(d), "day") for d in sorted(registration.days or [])]
    return format_list(days, locale=format_locale()) if days else ""


def off_days(registration: Registration) -> list[OffDay]:
    """Everything the registered checks find, by day."""
    found = [item for check in current_app.extensions.get(EXTENSION_KEY, []) for item in check(registration)]
    return sorted(found, key=lambda item: (item.day, item.what))
