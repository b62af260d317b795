"""The published visit plan, per visitor and per stand: the queries of the attendees' and startups' pages
(app.demonstrator.plans.itinerary), never a draft."""
from __future__ import annotations

from sqlalchemy import select

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call
from app.api.schemas.plan import PlanOut, VisitList, VisitOut
from app.api.v1.registrations import registration_of
from app.api.v1.stands import stand_of
from app.demonstrator.plans import itinerary
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.extensions import db

api = ApiBlueprint("api_plan", __name__)


def published(call: Call) -> itinerary.Published:
    plan = itinerary.published(call.event.id)
    if plan is None:
        raise ApiError(404, "plan_not_published")
    return plan


@api.operation("GET", "/events/{slug}/plan", summary="The published visit plan", tag="Visit plan",
               scope="plan:read", response=PlanOut, errors=(404,))
def get_plan(call: Call):
    """The plan of record and who is in it; a 404 `plan_not_published` while none is published."""
    plan = published(call)
    rows = db.session.execute(select(PlannedVisit.delegation_id, PlannedVisit.registration_id, PlannedVisit.stand_id)
                              .where(PlannedVisit.plan_id == plan.id)).all()
    return PlanOut(id=plan.id, version=plan.version,
                   published_at=db.session.scalar(select(VisitPlan.published_at).where(VisitPlan.id == plan.id)),
                   visits=len(rows), delegation_ids=sorted({r.delegation_id for r in rows if r.delegation_id}),
                   registration_ids=sorted({r.registration_id for r in rows if r.registration_id}),
                   stand_ids=sorted({r.stand_id for r in rows if r.stand_id}))


@api.operation("GET", "/events/{slug}/plan/visitors/{registration_id}", summary="A visitor's visits",
               tag="Visit plan", scope="plan:read", response=VisitList, errors=(404,))
def visitor_visits(call: Call, registration_id: int):
    """The visits of an official in the published plan, alone or with her delegation (her route)."""
    plan = published(call)
    visits = itinerary.route_of(registration_of(call, registration_id))
    return VisitList(plan_id=plan.id, version=plan.version, data=[VisitOut.of(v) for v in visits])


@api.operation("GET", "/events/{slug}/plan/stands/{stand_id}", summary="A stand's visits", tag="Visit plan",
               scope="plan:read", response=VisitList, errors=(404,))
def stand_visits(call: Call, stand_id: int):
    """The visits the startups booked on the stand receive there in the published plan."""
    plan = published(call)
    stand = stand_of(call, stand_id)
    startups = {b.registration_id: b.registration for b in stand.bookings}
    visits = [v for startup in startups.values() for v in itinerary.visitors_of(startup) if v.stand_id == stand.id]
    visits.sort(key=lambda v: (v.starts_at, v.id))
    return VisitList(plan_id=plan.id, version=plan.version, data=[VisitOut.of(v) for v in visits])
