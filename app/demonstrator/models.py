"""The demonstrator hall: stands and who holds them, wishes, visit windows, and versioned visit plans.

Times are stored in UTC. Positions are in metres from the hall's top-left corner.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.events.models import Event, Theme
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Delegation, Registration


class Hall(db.Model):
    """An edition's demonstrator hall and the settings of its visit planning."""

    __tablename__ = "hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    width: Mapped[float] = mapped_column(Float, default=60.0)
    depth: Mapped[float] = mapped_column(Float, default=40.0)
    #: An uploaded floor plan drawn behind the stands (PNG or JPEG), stretched to width x depth.
    image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    image_type: Mapped[str] = mapped_column(String(20), default="")
    #: Metres per minute; a guided group walks slower than one person.
    walking_speed: Mapped[float] = mapped_column(Float, default=40.0)
    visit_minutes: Mapped[int] = mapped_column(Integer, default=10)
    #: Visits each startup should get at least (a wish, weighed by shortfall_penalty).
    min_visits: Mapped[int] = mapped_column(Integer, default=3)
    #: Scoring weights, per member of a visiting group.
    weight_base: Mapped[float] = mapped_column(Float, default=0.0)
    weight_theme: Mapped[float] = mapped_column(Float, default=2.0)
    weight_wish: Mapped[float] = mapped_column(Float, default=5.0)
    weight_mutual: Mapped[float] = mapped_column(Float, default=12.0)
    shortfall_penalty: Mapped[float] = mapped_column(Float, default=4.0)
    change_penalty: Mapped[float] = mapped_column(Float, default=3.0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()


class Entrance(db.Model):
    """Where tours start and end; the first one (by position) is the main entrance."""

    __tablename__ = "hall_entrance"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Stand(db.Model):
    """A stand of the hall: a rectangle at (x, y) of width x depth metres."""

    __tablename__ = "stand"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float, default=3.0)
    depth: Mapped[float] = mapped_column(Float, default=3.0)
    zone: Mapped[str] = mapped_column(String(60), default="")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), nullable=True)
    #: How many groups may visit at the same time.
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    visit_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    min_visits: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_visits: Mapped[int | None] = mapped_column(Integer, nullable=True)

    theme: Mapped[Theme | None] = relationship()
    bookings: Mapped[list[StandBooking]] = relationship(
        back_populates="stand", cascade="all, delete-orphan", order_by="StandBooking.starts_at")
    closures: Mapped[list[StandClosure]] = relationship(
        back_populates="stand", cascade="all, delete-orphan", order_by="StandClosure.starts_at")

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.depth / 2)


class StandBooking(db.Model):
    """A startup holds a stand from starts_at to ends_at."""

    __tablename__ = "stand_booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("stand.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)

    stand: Mapped[Stand] = relationship(back_populates="bookings")
    registration: Mapped[Registration] = relationship()


class StandClosure(db.Model):
    """A time a stand takes no visits (lunch, or an incident on the day)."""

    __tablename__ = "stand_closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("stand.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    stand: Mapped[Stand] = relationship(back_populates="closures")


class WishKind(enum.StrEnum):
    WANT = "want"      # je souhaite rencontrer
    NO = "no"          # pas intéressé: never planned


class Wish(db.Model):
    """One side's wish about the other: an official about a startup, or a startup about an official."""

    __tablename__ = "meeting_wish"
    __table_args__ = (UniqueConstraint("from_registration_id", "to_registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    from_registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    to_registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    kind: Mapped[WishKind] = mapped_column(enum_column_type(WishKind))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    from_registration: Mapped[Registration] = relationship(foreign_keys=[from_registration_id])
    to_registration: Mapped[Registration] = relationship(foreign_keys=[to_registration_id])


class TourSlot(db.Model):
    """A window of the day when guided tours of the demonstrator run (a "parcours")."""

    __tablename__ = "tour_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    label: Mapped[str] = mapped_column(String(120), default="")


class AvailabilityChange(db.Model):
    """A manual change to when an official or a delegation can be routed.

    `available` False blocks the window (late, absent, another appointment); True opens it
    even over a session they signed up for.
    """

    __tablename__ = "availability_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), nullable=True, index=True)
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="CASCADE"), nullable=True, index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    available: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    registration: Mapped[Registration | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()


class RoutingOptOut(db.Model):
    """A person who asked not to be routed through the demonstrator."""

    __tablename__ = "routing_opt_out"

    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


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
