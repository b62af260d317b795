"""Wishes on both sides (je souhaite rencontrer, pas intéressé), manual changes to when a visitor can
be routed, and the people who asked not to be routed. Times are stored in UTC.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.extensions import db
from app.registrations.models import Delegation, Registration


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
