"""Rooms, sessions and their speakers, and what attendees keep of the program."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.events.models import Event, Theme
from app.extensions import db
from app.registrations.models import Registration


class SessionKind(enum.StrEnum):
    PLENIERE = "pleniere"
    CONFERENCE = "conference"
    ATELIER = "atelier"
    TABLE_RONDE = "table_ronde"
    VISITE = "visite"
    PAUSE = "pause"


class SpeakerRole(enum.StrEnum):
    INTERVENANT = "intervenant"
    MODERATEUR = "moderateur"
    ANIMATEUR = "animateur"


class SeatStatus(enum.StrEnum):
    SEATED = "seated"
    WAITING = "waiting"


class Room(db.Model):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    floor: Mapped[str] = mapped_column(String(60), default="")
    is_accessible: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship()
    availability: Mapped[list[RoomAvailability]] = relationship(
        back_populates="room", cascade="all, delete-orphan", order_by="RoomAvailability.starts_at")


class RoomAvailability(db.Model):
    """A window when a room can be used (UTC). A room without windows is always available."""

    __tablename__ = "room_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)

    room: Mapped[Room] = relationship(back_populates="availability")


session_theme = Table(
    "session_theme",
    db.metadata,
    Column("session_id", ForeignKey("program_session.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class ProgramSession(db.Model):
    """A session as organisers edit it (the draft). `published` holds what attendees see."""

    __tablename__ = "program_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(enum_column_type(SessionKind))
    title_fr: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"), nullable=True, index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    seat_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Cancelled sessions stay, so calendars receive the cancellation.
    is_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The published state (a plain dict), None until first published.
    published: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: iCal SEQUENCE: bumped each time a publication changes this session.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    room: Mapped[Room | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=session_theme, order_by="Theme.position")
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSpeaker.position")

    @property
    def has_seats(self) -> bool:
        return self.seat_limit is not None


class SessionSpeaker(db.Model):
    __tablename__ = "session_speaker"
    __table_args__ = (UniqueConstraint("session_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("program_session.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    role: Mapped[SpeakerRole] = mapped_column(enum_column_type(SpeakerRole), default=SpeakerRole.INTERVENANT)
    position: Mapped[int] = mapped_column(Integer, default=0)

    session: Mapped[ProgramSession] = relationship(back_populates="speakers")
    registration: Mapped[Registration] = relationship()


class AgendaEntry(db.Model):
    """A session an attendee put in their agenda; for seat-limited ones, a seat or a place in line."""

    __tablename__ = "agenda_entry"
    __table_args__ = (UniqueConstraint("session_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("program_session.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    #: None for a session without a seat limit.
    seat: Mapped[SeatStatus | None] = mapped_column(enum_column_type(SeatStatus), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    promoted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    session: Mapped[ProgramSession] = relationship()
    registration: Mapped[Registration] = relationship()


def new_feed_token() -> str:
    return "f_" + secrets.token_urlsafe(24)


class FeedToken(db.Model):
    """The secret in an attendee's calendar subscription URL; revocable and renewable (S1)."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    registration: Mapped[Registration] = relationship()


class ProgramPublication(db.Model):
    """A publication of the program and what it changed."""

    __tablename__ = "program_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    changes: Mapped[list] = mapped_column(JSON, default=list)
