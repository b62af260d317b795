"""Visits of an official's published route on days they did not register for, for the organiser's registration
page (through `registrations.day_checks`): a plan computed before the person changed days still walks them."""
from __future__ import annotations

from app.core.sentences import ngettext
from app.core.timefmt import to_local
from app.demonstrator.plans.itinerary import route_of, startup_of
from app.registrations.day_checks import OffDay, attends
from app.registrations.models import Registration


def off_day_visits(registration: Registration) -> list[OffDay]:
    if startup_of(registration) is not None:
        return []
    tz = registration.event.timezone
    found: dict = {}
    for visit in route_of(registration):
        day = to_local(visit.starts_at, tz).date()
        if not attends(registration, day):
            found[day] = found.get(day, 0) + 1
    return [OffDay(day, ngettext("Demonstrator route: %(num)d visit", "Demonstrator route: %(num)d visits", num))
            for day, num in found.items()]
