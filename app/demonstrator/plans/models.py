"""Versioned visit plans and their visits. Times are stored in UTC."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.demonstrator.hall.models import Stand
from app.events.models import Event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Delegation, Registration


class PlanStatus(enum.StrEnum):
    COMPUTING = "computing"
    DRAFT = "draft"
    PUBLISHED = "published"    # the itinerary of record (one per edition)
    SUPERSEDED = "superseded"  # was published, replaced by a later one
    FAILED = "failed"


class VisitPlan(db.Model):
    """A version of the visit routes, with the problem document it was computed from.

    Minute 0 of the document is `reference` (UTC); a visit at minute t starts at reference + t.
    """

    __tablename__ = "visit_plan"
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanStatus] = mapped_column(enum_column_type(PlanStatus), default=PlanStatus.COMPUTING, index=True)
    #: What made it: "plan" (from scratch), "replan" (around locks and the published plan), "day" (rest of the day).
    origin: Mapped[str] = mapped_column(String(20), default="plan")
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("visit_plan.id", ondelete="SET NULL"), nullable=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), nullable=True)
    reference: Mapped[datetime] = mapped_column(DateTime)
    #: Deferred: a large edition's document is megabytes, and most pages need only the visits.
    problem: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True)
    #: Live progress while computing, then the plan's figures (see services.figures).
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    time_limit: Mapped[float] = mapped_column(Float, default=30.0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    event: Mapped[Event] = relationship()
    created_by: Mapped[Person | None] = relationship()
    visits: Mapped[list[PlannedVisit]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="(PlannedVisit.visitor_key, PlannedVisit.starts_at)")


class PlannedVisit(db.Model):
    """One stand visit of one visitor (an official, or a delegation walking together)."""

    __tablename__ = "planned_visit"
    __table_args__ = (UniqueConstraint("plan_id", "visitor_key", "stand_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("visit_plan.id", ondelete="CASCADE"), index=True)
    #: The visitor's id in the problem document: "d<delegation id>" or "r<registration id>".
    visitor_key: Mapped[str] = mapped_column(String(40))
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="SET NULL"), nullable=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), nullable=True, index=True)
    tour: Mapped[int] = mapped_column(Integer)
    #: The stand's id in the problem document (the stand number, suffixed when several startups share it).
    stand_key: Mapped[str] = mapped_column(String(40))
    stand_id: Mapped[int | None] = mapped_column(ForeignKey("stand.id", ondelete="SET NULL"), nullable=True)
    startup_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), nullable=True, index=True)
    #: Minutes from the plan's reference, exactly as the optimiser placed it.
    start: Mapped[float] = mapped_column(Float)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)

    plan: Mapped[VisitPlan] = relationship(back_populates="visits")
    delegation: Mapped[Delegation | None] = relationship()
    registration: Mapped[Registration | None] = relationship(foreign_keys=[registration_id])
    stand: Mapped[Stand | None] = relationship()
    startup: Mapped[Registration | None] = relationship(foreign_keys=[startup_id])


class SheetPart(db.Model):
    """Some route sheets of a day, drawn by a sheets job (app.demonstrator.plans.sheet_jobs): a job commits a
    part at a time, so one whose worker died goes on from the tours its parts hold."""

    __tablename__ = "sheet_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("visit_plan.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    #: The tours it holds, as "visitor key/tour index", in the order of its pages.
    tours: Mapped[list] = mapped_column(JSON, default=list)
    num_pages: Mapped[int] = mapped_column(Integer, default=0)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
