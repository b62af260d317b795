"""Planned against held: the published meetings of an edition, and what the day said of them, per local day.

Read with two light queries (the placements, then their marks), for the organiser's page and the edition's report.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from app.core.timefmt import to_local
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.meetings.agenda.schedule import HELD, NO_SHOW, other, people_of_side, published, published_meetings, state_of
from app.meetings.placement.models import Mark, MarkSource, MeetingMark, MeetingPlacement
from app.meetings.requests.models import Side


@dataclass
class Tally:
    """Published meetings (planned), how many were held or missed by a side, and how they were told."""

    day: date | None = None
    planned: int = 0
    held: int = 0
    no_show: int = 0
    at_stands: int = 0
    #: Held meetings the startup's scan said were (no side said it by hand).
    held_by_scan: int = 0

    @property
    def unmarked(self) -> int:
        return self.planned - self.held - self.no_show

    @property
    def at_tables(self) -> int:
        return self.planned - self.at_stands

    @property
    def rate(self) -> float | None:
        return self.held / self.planned if self.planned else None


@dataclass
class MeetingFigures:
    total: Tally = field(default_factory=Tally)
    days: list[Tally] = field(default_factory=list)


def meeting_figures(event: Event) -> MeetingFigures:
    rows = db.session.execute(published().with_only_columns(
        MeetingPlacement.id, MeetingPlacement.published_starts_at, MeetingPlacement.published_stand_id)
        .where(MeetingPlacement.event_id == event.id)).all()
    marks: dict[int, list[tuple[Mark, MarkSource]]] = defaultdict(list)
    if rows:
        for placement_id, mark, source in db.session.execute(
                select(MeetingMark.placement_id, MeetingMark.mark, MeetingMark.source)
                .join(MeetingPlacement, MeetingPlacement.id == MeetingMark.placement_id)
                .where(MeetingPlacement.event_id == event.id)):
            marks[placement_id].append((Mark(mark), MarkSource(source)))
    found = MeetingFigures()
    days: dict[date, Tally] = {}
    for placement_id, starts_at, stand_id in rows:
        day = to_local(starts_at, event.timezone).date()
        tally = days.setdefault(day, Tally(day))
        said = marks.get(placement_id, [])
        state = HELD if any(m is Mark.HELD for m, _ in said) else NO_SHOW if said else None
        for line in (tally, found.total):
            line.planned += 1
            line.at_stands += stand_id is not None
            line.held += state == HELD
            line.no_show += state == NO_SHOW
            line.held_by_scan += state == HELD and all(s is MarkSource.SCAN for m, s in said if m is Mark.HELD)
    found.days = [days[day] for day in sorted(days)]
    return found


@dataclass(frozen=True)
class HeldMeeting:
    """A held meeting on request between a startup (its stand: the startup's registration, or its team lead's) and
    one person of the other side (who asked or was asked, or came along)."""

    stand_id: int
    registration_id: int
    at: datetime  # UTC: the meeting's published start
    placement_id: int


def held_meetings(event: Event) -> list[HeldMeeting]:
    """The edition's held meetings with a startup, one per person met, earliest first (for the outcomes)."""
    found = []
    placements = [p for p in published_meetings(event.id) if state_of(p.marks) == HELD]
    for placement in placements:
        for side in Side:
            startup = placement.request.person_of(side)
            if startup.category.code != CategoryCode.STARTUP:
                continue
            stand_id = startup.team_lead_id or startup.id
            found += [HeldMeeting(stand_id, person.id, placement.published_starts_at, placement.id)
                      for person in people_of_side(placement, other(side))]
    return sorted(found, key=lambda m: (m.at, m.stand_id, m.registration_id))
