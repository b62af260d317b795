"""One availability model for everyone: when each person is busy, and with what.

A person is busy on the days she does not attend, during the sessions she speaks at or kept in her agenda (with the
margins to get there, `wishes.visitors.busy_sessions`), while she walks her visit routes (every tour of her visitor
unit, a delegation walking together, from the door and back), and in the meetings already placed (at a table or
at a stand). The placement of meetings reads it; so can the other rooms (a personal agenda, say). Each interval
says what it is, so that a refusal can name what she is doing then.

The routes are those of `routes_plan`: the plan the meetings were placed around, unless another one was published
since (then the published one).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.core.timefmt import local_to_utc
from app.demonstrator.plans import planning
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.demonstrator.wishes.visitors import busy_sessions, visitor_units
from app.events.models import Event
from app.extensions import db
from app.meetings.placement.models import MeetingPlacement, PlaceKind, PlacementRun
from app.meetings.requests.models import MeetingParticipant, MeetingRequest, RequestStatus
from app.registrations.models import Registration

#: What keeps a person busy.
ABSENT, SESSION, ROUTE, MEETING = "absent", "session", "route", "meeting"


@dataclass(frozen=True)
class Busy:
    starts_at: datetime
    ends_at: datetime
    kind: str
    #: The session's id (SESSION), the visitor key and tour ("d12/0", ROUTE), the meeting request's id (MEETING).
    ref: int | str | None = None


def routes_plan(event: Event) -> VisitPlan | None:
    """The visit routes meetings are placed around: the plan of the last placement while it stands (a draft, or
    published), unless another plan was published after that placement; else the published plan."""
    run = db.session.get(PlacementRun, event.id)
    published = planning.published_plan(event)
    plan = run.plan if run is not None else None
    if plan is None or plan.status not in (PlanStatus.DRAFT, PlanStatus.PUBLISHED):
        return published
    if published is not None and published.id != plan.id and (
            published.published_at is None or run.placed_at is None or published.published_at > run.placed_at):
        return published
    return plan


def people_of(request: MeetingRequest) -> list[int]:
    """The registrations that meet: both sides and whoever they bring along."""
    return list(dict.fromkeys([request.from_registration_id, request.to_registration_id,
                               *(p.registration_id for p in request.participants)]))


def busy_of(event: Event, registration_ids: Iterable[int], *, plan: VisitPlan | None = None,
            skip_requests: Iterable[int] = (), tables: bool = True, published: bool = False,
            ) -> dict[int, list[Busy]]:
    """Each person's busy intervals (see the module), sorted. `plan`: the routes (`routes_plan` when None; pass
    False for none); `skip_requests`: meetings left out (those being placed); `tables`: whether meetings placed at
    tables count; `published`: the meetings attendees see rather than the organiser's draft."""
    ids = sorted(set(registration_ids))
    busy: dict[int, list[Busy]] = defaultdict(list)
    if not ids:
        return busy
    for registration_id, intervals in presence_busy(event, ids).items():
        busy[registration_id].extend(intervals)
    plan = routes_plan(event) if plan is None else plan
    if plan:
        for registration_id, spans in route_spans(event, plan, ids).items():
            busy[registration_id].extend(spans)
    kinds = tuple(PlaceKind) if tables else (PlaceKind.STAND,)
    for registration_id, meetings in placed_meetings(event, ids, skip_requests=skip_requests, kinds=kinds,
                                                     published=published).items():
        busy[registration_id].extend(meetings)
    for intervals in busy.values():
        intervals.sort(key=lambda b: (b.starts_at, b.ends_at))
    return busy


def presence_busy(event: Event, registration_ids: Iterable[int]) -> dict[int, list[Busy]]:
    """Only the days each person does not attend and her sessions (no routes, no meetings)."""
    ids = sorted(set(registration_ids))
    busy: dict[int, list[Busy]] = defaultdict(list)
    for registration in db.session.scalars(select(Registration).where(Registration.id.in_(ids or [0]))):
        busy[registration.id].extend(_absent(event, registration))
    for registration_id, sessions in busy_sessions(event, ids).items():
        busy[registration_id].extend(Busy(s.starts_at, s.ends_at, SESSION, s.session_id) for s in sessions)
    return busy


def _absent(event: Event, registration: Registration) -> list[Busy]:
    attended = set(registration.day_dates or event.days)
    return [Busy(local_to_utc(day, time(0), event.timezone), local_to_utc(day + timedelta(days=1), time(0),
                                                                          event.timezone), ABSENT)
            for day in event.days if day not in attended]


def route_spans(event: Event, plan: VisitPlan, registration_ids: list[int]) -> dict[int, list[Busy]]:
    """The tours of `plan` each person walks (her own, or her delegation's), from the door to the door."""
    wanted = set(registration_ids)
    members: dict[str, list[int]] = {unit.key: [m.id for m in unit.members if m.id in wanted]
                                      for unit in visitor_units(event)}
    members = {key: ids for key, ids in members.items() if ids}
    if not members:
        return {}
    rows = db.session.execute(select(PlannedVisit.visitor_key, PlannedVisit.tour, PlannedVisit.stand_key,
                                     PlannedVisit.starts_at, PlannedVisit.ends_at)
                              .where(PlannedVisit.plan_id == plan.id,
                                     PlannedVisit.visitor_key.in_(list(members)))).all()
    if not rows:
        return {}
    walks = Walks(plan.problem)
    tours: dict[tuple[str, int], list] = defaultdict(list)
    for row in rows:
        tours[(row.visitor_key, row.tour)].append(row)
    out: dict[int, list[Busy]] = defaultdict(list)
    for (key, tour), visits in tours.items():
        visits.sort(key=lambda v: v.starts_at)
        start = visits[0].starts_at - timedelta(minutes=walks.into(key, tour, visits[0].stand_key))
        end = visits[-1].ends_at + timedelta(minutes=walks.out_of(key, tour, visits[-1].stand_key))
        for registration_id in members[key]:
            out[registration_id].append(Busy(start, end, ROUTE, f"{key}/{tour}"))
    return out


class Walks:
    """Walks of a plan's document, from a tour's start to a stand and from a stand to the tour's end (minutes)."""

    def __init__(self, document: dict):
        self.tours = {v["id"]: v["tours"] for v in document.get("visitors", [])}
        self.location = {s["id"]: s["location"] for s in document.get("stands", [])}
        matrix = document.get("travel_matrix") or {}
        self.index = {name: i for i, name in enumerate(matrix.get("order") or [])}
        self.times = matrix.get("times") or []

    def _walk(self, a: str | None, b: str | None) -> float:
        i, j = self.index.get(a), self.index.get(b)
        return float(self.times[i][j]) if i is not None and j is not None else 0.0

    def _tour(self, key: str, tour: int) -> dict:
        tours = self.tours.get(key) or []
        return tours[tour] if 0 <= tour < len(tours) else {}

    def into(self, key: str, tour: int, stand: str) -> float:
        return self._walk(self._tour(key, tour).get("start"), self.location.get(stand))

    def out_of(self, key: str, tour: int, stand: str) -> float:
        return self._walk(self.location.get(stand), self._tour(key, tour).get("end"))


def placed_meetings(event: Event, registration_ids: list[int], *, skip_requests: Iterable[int] = (),
                    kinds: Iterable[PlaceKind] = tuple(PlaceKind), published: bool = False) -> dict[int, list[Busy]]:
    """The placed meetings of accepted requests each person takes part in."""
    wanted = set(registration_ids)
    skip = set(skip_requests)
    starts = MeetingPlacement.published_starts_at if published else MeetingPlacement.starts_at
    ends = MeetingPlacement.published_ends_at if published else MeetingPlacement.ends_at
    query = (select(MeetingPlacement.request_id, starts, ends).join(MeetingRequest)
             .where(MeetingPlacement.event_id == event.id, MeetingRequest.status == RequestStatus.ACCEPTED,
                    starts.is_not(None)))
    kinds = set(kinds)
    if kinds != set(PlaceKind):
        query = query.where(MeetingPlacement.kind.in_(kinds))
    concerned = select(MeetingParticipant.request_id).where(MeetingParticipant.registration_id.in_(wanted))
    query = query.where(or_(MeetingRequest.from_registration_id.in_(wanted),
                            MeetingRequest.to_registration_id.in_(wanted), MeetingRequest.id.in_(concerned)))
    rows = [row for row in db.session.execute(query).all() if row[0] not in skip]
    if not rows:
        return {}
    requests = db.session.scalars(select(MeetingRequest).where(MeetingRequest.id.in_([r[0] for r in rows]))
                                  .options(selectinload(MeetingRequest.participants))).all()
    people = {request.id: people_of(request) for request in requests}
    out: dict[int, list[Busy]] = defaultdict(list)
    for request_id, starts_at, ends_at in rows:
        for registration_id in people[request_id]:
            if registration_id in wanted:
                out[registration_id].append(Busy(starts_at, ends_at, MEETING, request_id))
    return out


def table_meeting_intervals(event: Event, registration_ids: list[int]) -> dict[int, list[tuple[datetime, datetime]]]:
    """The meetings placed at tables (the draft), which the demonstrator's tours leave out (its busy hook)."""
    return {registration_id: [(b.starts_at, b.ends_at) for b in intervals] for registration_id, intervals
            in placed_meetings(event, registration_ids, kinds=(PlaceKind.TABLE,)).items()}
