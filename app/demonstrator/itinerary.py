"""What people get from the published plan: an official's route, a startup's visitors."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.demonstrator.models import PlannedVisit, PlanStatus, VisitPlan
from app.extensions import db
from app.registrations.models import Registration


def _published_id(event_id: int) -> int | None:
    return db.session.scalar(select(VisitPlan.id).where(VisitPlan.event_id == event_id,
                                                        VisitPlan.status == PlanStatus.PUBLISHED))


def route_of(registration: Registration) -> list[PlannedVisit]:
    """The official's visits in the published plan (with their delegation, if they walk with one)."""
    plan_id = _published_id(registration.event_id)
    if plan_id is None:
        return []
    mine = PlannedVisit.registration_id == registration.id
    if registration.delegation_id is not None:
        mine = or_(mine, PlannedVisit.delegation_id == registration.delegation_id)
    return list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan_id, mine)
                                   .options(selectinload(PlannedVisit.stand), selectinload(PlannedVisit.startup))
                                   .order_by(PlannedVisit.starts_at)))


def visitors_of(startup: Registration) -> list[PlannedVisit]:
    """The visits the startup receives in the published plan."""
    plan_id = _published_id(startup.event_id)
    if plan_id is None:
        return []
    return list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan_id,
                                                              PlannedVisit.startup_id == startup.id)
                                   .options(selectinload(PlannedVisit.delegation),
                                            selectinload(PlannedVisit.registration))
                                   .order_by(PlannedVisit.starts_at)))
