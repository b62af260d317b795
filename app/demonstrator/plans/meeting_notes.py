"""Meetings on request as the demonstrator shows them, told at start-up (imports run one way).

The meetings (a feature above the demonstrator) register a `MeetingSource` in their `init_app`. The route, the
briefing, the route sheets and the calendar then ask it which visits of the published plan are meetings on request
(an official meets a startup at its stand: a required visit of her route) and which meetings people have at the
tables of the meetings area on a day (listed beside the tours). Only published meetings are told. Without a source
there is nothing to tell. The source is kept per app, in `app.extensions`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from flask import Flask, current_app

from app.demonstrator.plans.models import PlannedVisit
from app.events.models import Event

EXTENSION_KEY = "mediane.demonstrator.meeting_source"


@dataclass(frozen=True)
class VisitMeeting:
    """A visit of the published plan that is a meeting on request; names as "Sam Leroy (Capteurs du Morvan)"."""

    request_id: int
    #: The startup's side (the one asked, or who asked), and the visitor's side, each with who comes along.
    startup_side: tuple[str, ...]
    visitor_side: tuple[str, ...]


@dataclass(frozen=True)
class TableMeeting:
    """A published meeting at a table of the meetings area; texts in the current locale."""

    request_id: int
    starts_at: datetime  # UTC, naive
    ends_at: datetime
    place: str
    #: Everyone at the meeting: (registration id, "Sam Leroy (Capteurs du Morvan)", side: 0 who asked, 1 the other).
    people: tuple[tuple[int, str, int], ...]

    def ours(self, registration_ids: Iterable[int]) -> list[str]:
        """Those of `registration_ids` (a person, a delegation) who are at the meeting."""
        ids = set(registration_ids)
        return [name for registration_id, name, _side in self.people if registration_id in ids]

    def others(self, registration_ids: Iterable[int]) -> list[str]:
        """Who `registration_ids` (a person, a delegation) meet there: the other side."""
        ids = set(registration_ids)
        sides = {side for registration_id, _name, side in self.people if registration_id in ids}
        return [name for registration_id, name, side in self.people
                if registration_id not in ids and (len(sides) != 1 or side not in sides)]


class MeetingSource(Protocol):
    def at_stands(self, event: Event, visits: list[PlannedVisit]) -> dict[int, VisitMeeting]:
        """Visit id -> the meeting it is, for those of `visits` (of the published plan) that are one."""

    def at_tables(self, event: Event, registration_ids: Iterable[int],
                  day: date | None = None) -> dict[int, list[TableMeeting]]:
        """Registration id -> her published meetings at tables (of one local day, or all), earliest first."""


def set_meeting_source(app: Flask, source: MeetingSource) -> None:
    app.extensions[EXTENSION_KEY] = source


def _source() -> MeetingSource | None:
    return current_app.extensions.get(EXTENSION_KEY)


def stand_meetings(event: Event, visits: list[PlannedVisit]) -> dict[int, VisitMeeting]:
    source = _source()
    return source.at_stands(event, visits) if source is not None and visits else {}


def table_meetings(event: Event, registration_ids: Iterable[int],
                   day: date | None = None) -> dict[int, list[TableMeeting]]:
    source, ids = _source(), sorted(set(registration_ids))
    return source.at_tables(event, ids, day) if source is not None and ids else {}


def unit_table_meetings(found: dict[int, list[TableMeeting]], member_ids: Iterable[int]) -> list[TableMeeting]:
    """The table meetings of a group (a delegation walking together), each once, earliest first."""
    meetings = {m.request_id: m for registration_id in member_ids for m in found.get(registration_id, [])}
    return sorted(meetings.values(), key=lambda m: (m.starts_at, m.request_id))
