"""Which accepted meetings go to a stand and which to a table, and the `meeting-placement/1` document of the table
meetings (routing.meetings) around the routes.

A meeting is a stand meeting when one side is a routed visitor (an official or a decision maker, alone or in her
delegation: `wishes.visitors.visitor_units`) and the other a startup holding a stand open for visits
(`hall.queries.stand_units`): it becomes a required visit of her routes. Every other accepted meeting goes to a
table, in a slot of the meeting sessions where everyone in it is free (`availability`).

In the document, times are minutes from the edition's reference (midnight of its first day, as the routes'
documents), people are "r<registration id>", meetings "m<request id>", tables "t<table id>" in the organiser's
order, sessions "s<session id>".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from routing.meetings import PLACEMENT_FORMAT, SOLUTION_FORMAT, InvalidDocument, Placement, parse_placement
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.demonstrator.hall.queries import stand_units
from app.demonstrator.plans.models import VisitPlan
from app.demonstrator.plans.problem import reference_of
from app.demonstrator.wishes.visitors import visitor_units
from app.events.models import Event
from app.extensions import db
from app.meetings.placement.availability import Busy, busy_of, people_of
from app.meetings.placement.models import MeetingPlacement, PlaceKind
from app.meetings.requests.models import MeetingRequest, MeetingTable, RequestStatus
from app.meetings.requests.settings import sessions_of, settings_or_default, tables_of
from app.registrations.models import Registration, RegistrationStatus


def accepted_requests(event: Event) -> list[MeetingRequest]:
    """The accepted requests whose two sides are still registered (a cancelled registration's meetings are dropped
    at the next placement, and publishing then tells the other side)."""
    return [r for r in db.session.scalars(
        select(MeetingRequest).where(MeetingRequest.event_id == event.id,
                                     MeetingRequest.status == RequestStatus.ACCEPTED)
        .options(selectinload(MeetingRequest.participants),
                 selectinload(MeetingRequest.requester).selectinload(Registration.person),
                 selectinload(MeetingRequest.recipient).selectinload(Registration.person))
        .order_by(MeetingRequest.id))
        if r.requester.status == RegistrationStatus.CONFIRMED and r.recipient.status == RegistrationStatus.CONFIRMED]


def stand_meetings(event: Event, requests: list[MeetingRequest]) -> dict[int, tuple[str, int]]:
    """request id -> (visitor key, startup registration id) of the requests that are stand meetings."""
    if not requests:
        return {}
    unit_of = {member.id: unit.key for unit in visitor_units(event) for member in unit.members}
    startups = {unit.startup.id for unit in stand_units(event)}
    found = {}
    for request in requests:
        a, b = request.from_registration_id, request.to_registration_id
        if a in unit_of and b in startups:
            found[request.id] = (unit_of[a], b)
        elif b in unit_of and a in startups:
            found[request.id] = (unit_of[b], a)
    return found


def meeting_id(request_id: int) -> str:
    return f"m{request_id}"


def request_id_of(meeting: str) -> int:
    return int(meeting[1:])


def person_id(registration_id: int) -> str:
    return f"r{registration_id}"


def table_id(table: MeetingTable) -> str:
    return f"t{table.id}"


@dataclass
class TableDocument:
    """The document of the table meetings and what its ids stand for."""

    document: dict
    reference: datetime
    slot_minutes: int
    requests: dict[str, MeetingRequest]
    tables: dict[str, MeetingTable]
    #: Each person's busy intervals, as the document states them (with what they are).
    busy: dict[int, list[Busy]]
    #: Meetings whose lock could not hold (someone is now busy then, or its table is gone): placed like the others.
    released: list[str] = field(default_factory=list)
    placement: Placement | None = None

    def minutes(self, moment: datetime) -> float:
        return round((moment - self.reference).total_seconds() / 60, 4)

    def moment(self, minutes: float) -> datetime:
        return self.reference + timedelta(minutes=minutes)


def build_table_document(event: Event, requests: list[MeetingRequest], placements: dict[int, MeetingPlacement], *,
                         plan: VisitPlan | None | bool = None, previous: bool = True,
                         stand_busy: dict[int, list[Busy]] | None = None) -> TableDocument:
    """The document of the table meetings `requests` around the routes of `plan` (`availability.routes_plan` when
    None, none when False) and the stand meetings (as stored, or `stand_busy` when given: who is at a stand when),
    their current draft (`placements`, by request id) as `previous` and the locked ones `fixed`. Parsed:
    `placement` holds it."""
    settings = settings_or_default(event)
    tables = tables_of(event)
    built = TableDocument({}, reference_of(event), settings.slot_minutes, {}, {table_id(t): t for t in tables}, {})
    people = sorted({p for request in requests for p in people_of(request)})
    skip = {r.id for r in requests}
    if stand_busy is not None:
        skip |= {request_id for request_id, p in placements.items() if p.kind is PlaceKind.STAND}
    built.busy = busy_of(event, people, plan=plan, skip_requests=skip)
    wanted = set(people)
    for registration_id, intervals in (stand_busy or {}).items():
        if registration_id in wanted:
            built.busy[registration_id] = sorted([*built.busy.get(registration_id, []), *intervals],
                                                 key=lambda b: (b.starts_at, b.ends_at))
    meetings = []
    for request in requests:
        mid = meeting_id(request.id)
        built.requests[mid] = request
        entry = {"id": mid, "people": [person_id(p) for p in people_of(request)]}
        current = placements.get(request.id)
        if current is not None and current.starts_at is not None and current.table_id is not None:
            spot = {"start": built.minutes(current.starts_at), "table": f"t{current.table_id}"}
            if previous:
                entry["previous"] = spot
            if current.locked:
                entry["fixed"] = spot
        meetings.append(entry)
    built.document = {
        "format": PLACEMENT_FORMAT,
        "name": event.name,
        "sessions": [{"id": f"s{s.id}", "start": built.minutes(s.starts_at), "end": built.minutes(s.ends_at),
                      "max_per_person": settings.max_per_session} for s in sessions_of(event)],
        "slot_length": settings.slot_minutes,
        "tables": list(built.tables),
        "buffer": 0,
        "people": [{"id": person_id(p), "busy": [[built.minutes(b.starts_at), built.minutes(b.ends_at)]
                                                  for b in built.busy.get(p, [])]} for p in people],
        "meetings": meetings,
    }
    built.placement = _parsed(built)
    return built


def _parsed(built: TableDocument) -> Placement:
    """The document parsed; a lock that can no longer hold (routing.meetings refuses it, naming the meeting) is
    released: the meeting keeps its place as `previous` only, and is listed in `released`."""
    meetings = built.document["meetings"]
    while True:
        try:
            return parse_placement(built.document)
        except InvalidDocument as error:
            found = re.match(r"meetings\[(\d+)\]\.fixed", str(error))
            if found is None or "fixed" not in meetings[int(found.group(1))]:
                raise
            entry = meetings[int(found.group(1))]
            del entry["fixed"]
            built.released.append(entry["id"])


def solution_of(built: TableDocument, placements: dict[int, MeetingPlacement],
                moved: tuple[int, float, str] | None = None) -> dict:
    """The current draft of the document's meetings as a `meeting-placement-solution/1` document; `moved`: one
    meeting (request id, start, table) somewhere else."""
    placed, unplaced = [], []
    for mid, request in built.requests.items():
        current = placements.get(request.id)
        if moved is not None and moved[0] == request.id:
            placed.append({"meeting": mid, "start": moved[1], "table": moved[2]})
        elif current is not None and current.starts_at is not None and current.table_id is not None:
            placed.append({"meeting": mid, "start": built.minutes(current.starts_at),
                           "table": f"t{current.table_id}"})
        else:
            reason = current.unplaced.value if current is not None and current.unplaced is not None else ""
            unplaced.append({"meeting": mid, "reason": reason or "person_busy"})
    return {"format": SOLUTION_FORMAT, "placed": placed, "unplaced": unplaced}
