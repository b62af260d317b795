"""Badge tokens, the edition's badge layout, print runs and door check-ins."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timefmt import utcnow
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration

TOKEN_PREFIX = "b_"


def new_badge_token() -> str:
    """192 random bits behind a type prefix; no personal data (S1)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


class BadgeToken(db.Model):
    """What a badge's QR code holds. Reprinting revokes the old one."""

    __tablename__ = "badge_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_badge_token)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    registration: Mapped[Registration] = relationship()


class BadgeLayoutRow(db.Model):
    """An edition's badge layout, stored as the renderer's data (see badges.layout_to_dict)."""

    __tablename__ = "badge_layout"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    data: Mapped[dict] = mapped_column(JSON)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class PrintRun(db.Model):
    """A PDF of badges, made at once (a single badge) or by a job, in parts committed one by one: a job whose
    worker dies keeps the parts it finished, and the rest can be printed (app.badging.jobs)."""

    __tablename__ = "print_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), nullable=True, index=True)
    selection: Mapped[dict] = mapped_column(JSON, default=dict)
    num_badges: Mapped[int] = mapped_column(Integer, default=0)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)


class CheckIn(db.Model):
    """The first arrival of a registration at the door (R2: later scans point back to it)."""

    __tablename__ = "check_in"
    __table_args__ = (UniqueConstraint("registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    place: Mapped[str] = mapped_column(String(60), default="")

    registration: Mapped[Registration] = relationship()
    by: Mapped[Person | None] = relationship()
