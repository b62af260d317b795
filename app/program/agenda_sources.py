"""What other features add to a person's agenda page (the meetings on request, for one).

A feature registers a source at start-up; the agenda page asks each for the person's items and lists them with
her sessions, in time order. The sources are kept per app, in `app.extensions` (imports run one way: the program
knows none of the features above it).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from app.registrations.models import Registration

EXTENSION_KEY = "mediane.program.agenda_sources"


@dataclass(frozen=True)
class AgendaItem:
    """One item of the agenda that is not a session of the programme; texts in the current locale."""

    starts_at: datetime  # UTC, naive
    ends_at: datetime
    title: str
    #: Where: a table of the meetings area, a stand of the demonstrator...
    place: str
    #: The page that says more (and where she acts on it).
    url: str
    #: A short state to show beside the title ("Held"), or "".
    state: str = ""
    #: The badge's style for that state (a class of the app's style sheet: "status-confirmed"...).
    state_class: str = ""
    #: What it is, for styles and tests ("meeting").
    kind: str = ""
    #: Who comes along, or any other line under the title.
    detail: str = ""


AgendaSource = Callable[[Registration], Sequence[AgendaItem]]


def add_agenda_source(app: Flask, source: AgendaSource) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(source)


def agenda_items(registration: Registration) -> list[AgendaItem]:
    """Every registered source's items for `registration`, earliest first."""
    items = [item for source in current_app.extensions.get(EXTENSION_KEY, []) for item in source(registration)]
    return sorted(items, key=lambda item: (item.starts_at, item.title))
