"""Roles a person holds in one edition (attendee comes from a registration)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.extensions import db
from app.people.models import Organisation, Person


class RoleName(enum.StrEnum):
    ORGANISER = "organiser"
    EXHIBITOR = "exhibitor"
    ATTENDEE = "attendee"
    #: Volunteers at the door: they check people in and see the arrivals, nothing else.
    DOOR_STAFF = "door"  # (at most 9 characters: the column was made for the longest value)


class EventRole(db.Model):
    __tablename__ = "event_role"
    __table_args__ = (UniqueConstraint("event_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[RoleName] = mapped_column(enum_column_type(RoleName))
    #: For exhibitor staff: the startup they work for.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class LoginFailure(db.Model):
    """A failed login, kept for throttling per account and per address."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
