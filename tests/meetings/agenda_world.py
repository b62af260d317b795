"""Published meetings for the agenda room's tests, on top of tests/meetings/world.py (the delegation of Nevers, a
startup, a company...):

- at a table: the startup (Sam Leroy, who reads English) asked the mayor, who brings her deputy along; Table 3;
- at a table: the company asked the director;
- at a stand: the mayor asked the other startup (Lumière Douce), met at its stand A1 on the delegation's route
  (a published visit plan of one visit);
- a draft only: the company asked the mayor, placed but not published (nobody sees it yet).

The placements are written as rows, published as the placement's publish leaves them. `start` is the first
table meeting's time (UTC); the others follow it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.timefmt import utcnow
from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.demonstrator.plans.problem import reference_of
from app.extensions import db
from app.meetings.placement.models import MeetingPlacement, PlaceKind
from app.meetings.requests.models import MeetingParticipant, MeetingReason, MeetingRequest, RequestStatus, Side
from app.meetings.requests.settings import tables_of
from tests.meetings.world import World


@dataclass
class Agenda:
    world: World
    at_table: MeetingPlacement      # startup -> mayor (+ deputy), Table 3
    company_table: MeetingPlacement  # company -> director, Table 5
    at_stand: MeetingPlacement      # mayor -> other startup, stand A1
    draft: MeetingPlacement         # company -> mayor, not published
    plan: VisitPlan
    visit: PlannedVisit


def accepted(world: World, requester, recipient, *, message: str = "") -> MeetingRequest:
    request = MeetingRequest(event_id=world.event.id, requester=requester, recipient=recipient,
                             reason=MeetingReason.DISCOVER, message=message, status=RequestStatus.ACCEPTED,
                             expires_at=utcnow() + timedelta(days=7), answered_at=utcnow())
    db.session.add(request)
    db.session.flush()
    return request


def placed(request: MeetingRequest, starts_at: datetime, *, table=None, stand=None, plan=None,
           publish: bool = True) -> MeetingPlacement:
    ends_at = starts_at + timedelta(minutes=20)
    placement = MeetingPlacement(event_id=request.event_id, request_id=request.id,
                                 kind=PlaceKind.STAND if stand else PlaceKind.TABLE, starts_at=starts_at,
                                 ends_at=ends_at, table_id=table.id if table else None,
                                 stand_id=stand.id if stand else None, plan_id=plan.id if plan else None)
    if publish:
        placement.published_starts_at, placement.published_ends_at = starts_at, ends_at
        placement.published_table_id = placement.table_id
        placement.published_stand_id = placement.stand_id
        placement.published_at = utcnow()
    db.session.add(placement)
    db.session.flush()
    return placement


def build_agenda(world: World, start: datetime) -> Agenda:
    """`start`: the first table meeting, UTC (naive); the stand meeting is an hour later, the company's two."""
    event = world.event
    tables = tables_of(event)
    stand = hall_services.save_stand(event, hall_services.StandInput("A1", x=1, y=1), actor_id=None)
    hall_services.save_entrance(event, "Nord", 10, 0, actor_id=None)
    hall_calendar.book_stand(event, stand, world.other_startup, start - timedelta(hours=4), start + timedelta(hours=4),
                             actor_id=None)
    db.session.commit()

    with_deputy = accepted(world, world.startup, world.mayor, message="Nos capteurs pour votre centre-ville.")
    with_deputy.participants.append(MeetingParticipant(registration_id=world.deputy.id, side=Side.RECIPIENT))
    at_table = placed(with_deputy, start, table=tables[2])
    company_table = placed(accepted(world, world.company, world.director), start + timedelta(hours=2),
                           table=tables[4])

    visitor = f"d{world.mayor.delegation_id}"
    reference = reference_of(event)
    plan = VisitPlan(event_id=event.id, version=1, status=PlanStatus.PUBLISHED, reference=reference, problem={},
                     figures={}, time_limit=2, published_at=utcnow())
    visit_at = start + timedelta(hours=1)
    minutes = (visit_at - reference).total_seconds() / 60
    visit = PlannedVisit(visitor_key=visitor, delegation_id=world.mayor.delegation_id, tour=0, stand_key="A1",
                         stand_id=stand.id, startup_id=world.other_startup.id, start=minutes, starts_at=visit_at,
                         ends_at=visit_at + timedelta(minutes=20), score=2.0, locked=True)
    plan.visits.append(visit)
    db.session.add(plan)
    db.session.flush()
    at_stand = placed(accepted(world, world.mayor, world.other_startup), visit_at, stand=stand, plan=plan)
    draft = placed(accepted(world, world.company, world.mayor), start + timedelta(hours=3), table=tables[0],
                   publish=False)
    db.session.commit()
    return Agenda(world, at_table, company_table, at_stand, draft, plan, visit)
