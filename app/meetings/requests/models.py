"""Meeting settings of an edition, each person's opt-in, and the requests with the people they bring along.

Times are stored in UTC (naive) and shown in the edition's time zone.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.events.models import Category, Event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration


class AcceptanceMode(enum.StrEnum):
    NEEDS_ACCEPTANCE = "needs_acceptance"  # the recipient (or her coordinator) accepts or declines
    AT_ONCE = "at_once"                    # a request is accepted as it is sent


class MeetingReason(enum.StrEnum):
    DISCOVER = "discover"        # discover a solution
    FOLLOW_UP = "follow_up"      # follow-up of a project
    PARTNERSHIP = "partnership"
    PURCHASE = "purchase"
    OTHER = "other"


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


#: The statuses of a request that still stands: a second one between the same two people is refused.
LIVE = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class Side(enum.StrEnum):
    REQUESTER = "requester"
    RECIPIENT = "recipient"


class MeetingSettings(db.Model):
    """How an edition runs meetings on request; one row per edition, made when the organiser first saves."""

    __tablename__ = "meeting_settings"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    #: Requests may be sent (the organiser opens them once the settings are right, closes them when she wants).
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    acceptance: Mapped[AcceptanceMode] = mapped_column(enum_column_type(AcceptanceMode),
                                                       default=AcceptanceMode.NEEDS_ACCEPTANCE)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    #: The most meetings one person has in one meeting session (the placement keeps to it).
    max_per_session: Mapped[int] = mapped_column(Integer, default=6)
    #: Days a request waits for an answer before it expires (never past the edition's last day).
    expiry_days: Mapped[int] = mapped_column(Integer, default=7)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()


class MeetingCategoryPair(db.Model):
    """People of `from_category` may request meetings from people of `to_category` (a pair each way is two rows)."""

    __tablename__ = "meeting_category_pair"
    __table_args__ = (UniqueConstraint("from_category_id", "to_category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    from_category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    to_category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))

    from_category: Mapped[Category] = relationship(foreign_keys=[from_category_id])
    to_category: Mapped[Category] = relationship(foreign_keys=[to_category_id])


class MeetingSession(db.Model):
    """A window of an edition's days in which meetings are held at the tables."""

    __tablename__ = "meeting_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)


class MeetingTable(db.Model):
    """A table of the meetings area, in the order the organiser gave (1..N, or her names)."""

    __tablename__ = "meeting_table"
    __table_args__ = (UniqueConstraint("event_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))


class MeetingProfile(db.Model):
    """A person's choice about meeting requests in one edition. Without a row (or with `accepts_requests` None)
    she follows her registration's consent to appear in the list of attendees."""

    __tablename__ = "meeting_profile"

    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"),
                                                 primary_key=True)
    accepts_requests: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class MeetingThrottle(db.Model):
    """The house's rate counter (app.core.ratelimit) of one registration's attempts to send requests; its id is
    the registration's. Written on its own, before the attempt: a refused attempt counts too."""

    __tablename__ = "meeting_throttle"

    id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True,
                                    autoincrement=False)
    #: The window's number since the epoch (hours), and the attempts in it.
    rate_minute: Mapped[int] = mapped_column(Integer, default=0)
    rate_count: Mapped[int] = mapped_column(Integer, default=0)


class MeetingRequest(db.Model):
    """One person asks another to meet; the answer, by the recipient or her delegation's coordinator."""

    __tablename__ = "meeting_request"
    __table_args__ = (
        # Two people have at most one request standing from one to the other (the services also refuse one the
        # other way round); the database says so too, should two requests arrive at the same instant.
        Index("uq_meeting_request_live_pair", "from_registration_id", "to_registration_id", unique=True,
              sqlite_where=text("status IN ('pending', 'accepted')"),
              postgresql_where=text("status IN ('pending', 'accepted')")),
        Index("ix_meeting_request_event_status", "event_id", "status"),
        Index("ix_meeting_request_from", "from_registration_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    from_registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    to_registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    reason: Mapped[MeetingReason] = mapped_column(enum_column_type(MeetingReason))
    message: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[RequestStatus] = mapped_column(enum_column_type(RequestStatus), default=RequestStatus.PENDING)
    #: Accepted as it was sent (the edition's acceptance mode), not by anyone.
    accepted_at_once: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: A pending request still pending then is expired by the periodic job.
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: Who accepted or declined: the recipient, or her delegation's coordinator.
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    requester: Mapped[Registration] = relationship(foreign_keys=[from_registration_id])
    recipient: Mapped[Registration] = relationship(foreign_keys=[to_registration_id])
    answered_by: Mapped[Person | None] = relationship(foreign_keys=[answered_by_id])
    cancelled_by: Mapped[Person | None] = relationship(foreign_keys=[cancelled_by_id])
    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="MeetingParticipant.id")

    def side_of(self, registration_id: int) -> Side | None:
        if registration_id == self.from_registration_id:
            return Side.REQUESTER
        if registration_id == self.to_registration_id:
            return Side.RECIPIENT
        return None

    def person_of(self, side: Side) -> Registration:
        return self.requester if side is Side.REQUESTER else self.recipient


class MeetingParticipant(db.Model):
    """A member of one side's delegation brought along to a meeting."""

    __tablename__ = "meeting_participant"
    __table_args__ = (UniqueConstraint("request_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_request.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column_type(Side))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[MeetingRequest] = relationship(back_populates="participants")
    registration: Mapped[Registration] = relationship()
