"""The meetings an outcome can come from: planned visits that happened, meetings on request that were held, and
contacts scanned at the stands.

One meeting per stand and person: a realised planned visit (the person alone, or in the delegation that
visited) comes first; then a held meeting on request (app.meetings.agenda: marked held by a side, her coordinator,
an organiser or the startup's scan); a scan that realised neither is a meeting too. Read from the realised report
(the published plan matched with the scans), the marks of the meetings on request and the stands' contacts.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.demonstrator.realised import report as realised
from app.events.models import Event
from app.extensions import db
from app.leads.models import Lead
from app.meetings.agenda.figures import held_meetings
from app.outcomes.models import OutcomeSource


@dataclass
class Meeting:
    stand_id: int            # the startup's registration
    registration_id: int     # the person met
    source: OutcomeSource    # VISIT, MEETING or SCAN
    at: datetime             # UTC: the visit's start, the meeting's, or the first scan
    planned_visit_id: int | None = None
    lead_id: int | None = None
    #: A held meeting on request (app.meetings.placement's MeetingPlacement).
    placement_id: int | None = None


def meetings(event: Event, *, stand_ids: Iterable[int] | None = None,
             registration_ids: Iterable[int] | None = None) -> list[Meeting]:
    """The edition's meetings, for some stands and/or some people (None: all), earliest first."""
    stands = set(stand_ids) if stand_ids is not None else None
    people = set(registration_ids) if registration_ids is not None else None

    def wanted(stand: int | None, person: int) -> bool:
        return stand is not None and (stands is None or stand in stands) and (people is None or person in people)

    found: dict[tuple[int, int], Meeting] = {}
    for outcome in realised.report(event).visits:
        if not outcome.realised:
            continue
        visit = outcome.visit
        for person in visit.members:
            if wanted(visit.startup_id, person):
                key = (visit.startup_id, person)
                if key not in found or visit.starts_at < found[key].at:
                    found[key] = Meeting(visit.startup_id, person, OutcomeSource.VISIT, visit.starts_at,
                                         planned_visit_id=visit.id)
    for held in held_meetings(event):
        key = (held.stand_id, held.registration_id)
        if key not in found and wanted(*key):
            found[key] = Meeting(*key, OutcomeSource.MEETING, held.at, placement_id=held.placement_id)
    query = select(Lead.id, Lead.stand_id, Lead.registration_id, Lead.first_scanned_at).where(Lead.event_id == event.id)
    if stands is not None:
        query = query.where(Lead.stand_id.in_(stands))
    if people is not None:
        query = query.where(Lead.registration_id.in_(people))
    for lead_id, stand, person, first in db.session.execute(query):
        key = (stand, person)
        if key in found:
            found[key].lead_id = lead_id
        else:
            found[key] = Meeting(stand, person, OutcomeSource.SCAN, first, lead_id=lead_id)
    return sorted(found.values(), key=lambda m: (m.at, m.stand_id, m.registration_id))
