"""What other features add to a person's calendar feed (the demonstrator's visits, for one).

A feature registers a `CalendarSource` at start-up; the personal feed asks each source for the
person's events and for the page they link to. The sources are kept per app, in `app.extensions`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app
from schedules import ItineraryItem

from app.registrations.models import Registration

EXTENSION_KEY = "mediane.program.calendar_sources"


class CalendarItems(Protocol):
    def __call__(self, registration: Registration, *, uid_domain: str, page_url: str) -> Sequence[ItineraryItem]:
        """The person's events, texts in the current locale, each linking to `page_url`."""


@dataclass(frozen=True)
class CalendarSource:
    items: CalendarItems
    #: The page (an absolute URL) the person's events link to.
    page_url: Callable[[Registration], str]


def add_calendar_source(app: Flask, source: CalendarSource) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(source)


def calendar_sources() -> list[CalendarSource]:
    return current_app.extensions.get(EXTENSION_KEY, [])
