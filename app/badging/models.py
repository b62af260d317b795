"""Badge tokens, the edition's badge layout, print runs and door check-ins."""
from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timefmt import utcnow
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration

TOKEN_PREFIX = "b_"
#: The short code's characters: digits and capitals without look-alikes (no 0/O, 1/I/L, U/V).
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
SHORT_CODE_LENGTH = 8


def new_badge_token() -> str:
    """192 random bits behind a type prefix; no personal data (S1)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


def new_short_code() -> str:
    """Eight random characters (about 39 bits) printed on the badge for typing at the door when the QR code
    cannot be read; drawn from `secrets`, so nothing about the person can be guessed from it."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def format_short_code(code: str) -> str:
    """How the code is printed and shown: two groups of four, `K7M4-9QXR`."""
    return f"{code[:4]}-{code[4:]}" if len(code) == SHORT_CODE_LENGTH else code


def parse_short_code(text: str) -> str | None:
    """The stored form of a typed short code (any case, with or without the dash or spaces), or None when
    `text` cannot be one."""
    code = re.sub(r"[\s-]", "", text or "").upper()
    if len(code) != SHORT_CODE_LENGTH or any(c not in SHORT_CODE_ALPHABET for c in code):
        return None
    return code


class BadgeToken(db.Model):
    """What a badge's QR code holds. Reprinting revokes the old one."""

    __tablename__ = "badge_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_badge_token)
    #: Printed under the QR code and typed when it cannot be scanned; revoked with the token.
    short_code: Mapped[str] = mapped_column(String(8), unique=True, default=new_short_code)
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
    #: When it was stored (`at` is the door's own time, earlier for a check-in sent late by an offline door): what
    #: an API client syncing with updated_since follows.
    created_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, nullable=True, index=True)

    registration: Mapped[Registration] = relationship()
    by: Mapped[Person | None] = relationship()
