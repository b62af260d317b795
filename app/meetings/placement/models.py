"""Where and when each accepted meeting is held: its draft placement, what attendees see once published, and the
marks of the day (held, no-show).

A meeting is held at a table of the meetings area, or at a startup's stand in the demonstrator when an official
(or her delegation) meets a startup that has one: that meeting is a visit of her route, and its time is the visit's.
Times are stored in UTC (naive).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.demonstrator.hall.models import Stand
from app.demonstrator.plans.models import VisitPlan
from app.extensions import db
from app.jobs.models import Job
from app.meetings.requests.models import MeetingRequest, MeetingTable, Side
from app.people.models import Person


class PlaceKind(enum.StrEnum):
    TABLE = "table"  # a table of the meetings area, in a slot of a meeting session
    STAND = "stand"  # the startup's stand, as a visit of the official's route


class Unplaced(enum.StrEnum):
    """Why a meeting has no place: routing.meetings' reasons (a stand meeting the routes cannot hold is placed at a
    table, so these are the tables')."""

    NO_COMMON_SLOT = "no_common_slot"  # no slot of the sessions where every side is free
    NO_TABLE = "no_table"              # every common free slot has all its tables taken
    PERSON_BUSY = "person_busy"        # in every common free slot with a free table, someone has another meeting


class Mark(enum.StrEnum):
    HELD = "held"
    NO_SHOW = "no_show"


class MarkSource(enum.StrEnum):
    WEB = "web"    # marked on her agenda
    SCAN = "scan"  # she scanned the other side's badge


class MeetingPlacement(db.Model):
    """The placement of one accepted request: the draft (what the organiser works on) and the published one."""

    __tablename__ = "meeting_placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_request.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[PlaceKind] = mapped_column(enum_column_type(PlaceKind), default=PlaceKind.TABLE)
    # -- the draft: None while unplaced
    starts_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    table_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_table.id", ondelete="SET NULL"), nullable=True)
    stand_id: Mapped[int | None] = mapped_column(ForeignKey("stand.id", ondelete="SET NULL"), nullable=True)
    #: A stand meeting: the visit plan whose visit holds it.
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("visit_plan.id", ondelete="SET NULL"), nullable=True)
    #: Placing again keeps it where it is (a table meeting; a stand meeting is locked on the plan's page).
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    unplaced: Mapped[Unplaced | None] = mapped_column(enum_column_type(Unplaced), nullable=True)
    # -- what attendees see, copied from the draft when the organiser publishes
    published_starts_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    published_ends_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    published_table_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_table.id", ondelete="SET NULL"),
                                                           nullable=True)
    published_stand_id: Mapped[int | None] = mapped_column(ForeignKey("stand.id", ondelete="SET NULL"), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[MeetingRequest] = relationship()
    table: Mapped[MeetingTable | None] = relationship(foreign_keys=[table_id])
    stand: Mapped[Stand | None] = relationship(foreign_keys=[stand_id])
    published_table: Mapped[MeetingTable | None] = relationship(foreign_keys=[published_table_id])
    published_stand: Mapped[Stand | None] = relationship(foreign_keys=[published_stand_id])
    marks: Mapped[list[MeetingMark]] = relationship(back_populates="placement", cascade="all, delete-orphan",
                                                    order_by="MeetingMark.id")

    @property
    def is_placed(self) -> bool:
        return self.starts_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_starts_at is not None


class MeetingMark(db.Model):
    """One side's word on the day: the meeting was held, or the other side did not come. A side marks once (a
    second mark replaces the first)."""

    __tablename__ = "meeting_mark"
    __table_args__ = (UniqueConstraint("placement_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("meeting_placement.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column_type(Side))
    mark: Mapped[Mark] = mapped_column(enum_column_type(Mark))
    source: Mapped[MarkSource] = mapped_column(enum_column_type(MarkSource), default=MarkSource.WEB)
    #: Who marked: the side's person, her coordinator, or an organiser.
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    marked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    placement: Mapped[MeetingPlacement] = relationship(back_populates="marks")
    marked_by: Mapped[Person | None] = relationship()


class PlacementRun(db.Model):
    """An edition's last "place all meetings": the visit plan it placed the meetings around, its job and figures."""

    __tablename__ = "meeting_placement_run"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    #: The routes the draft is placed around (the plan that holds the stand meetings).
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("visit_plan.id", ondelete="SET NULL"), nullable=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), nullable=True)
    placed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: placed, total, per reason, seconds, method, bound... (see placing.figures)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    plan: Mapped[VisitPlan | None] = relationship()
    job: Mapped[Job | None] = relationship()
