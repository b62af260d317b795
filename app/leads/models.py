"""Exhibitor lead scanning: paired devices, the scans they send, and one contact per startup and person.

A stand is the startup's registration (the team lead's, category `startup`). Every scan keeps the stand,
the scanned registration and the scanner's own clock (UTC), so that a scan can later be matched to a
planned visit of that person to that stand.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.search import SearchKey
from app.core.timefmt import utcnow
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Registration

DEVICE_TOKEN_PREFIX = "d_"
#: Letters and digits that cannot be mistaken for one another when typed from a screen.
PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_CODE_LENGTH = 8


def new_device_token() -> str:
    """192 random bits behind a type prefix (S1). Only its hash is stored."""
    return DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(24)


def new_pairing_code() -> str:
    """Eight characters (about 40 bits), shown for a few minutes and usable once."""
    return "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))


def secret_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


class Device(db.Model):
    """A phone or tablet paired to a stand; it authenticates with its own revocable bearer token (S5)."""

    __tablename__ = "lead_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    paired_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    paired_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: Requests in the current minute (rate limit per device, S6): the minute since the epoch, and the count.
    rate_minute: Mapped[int] = mapped_column(Integer, default=0)
    rate_count: Mapped[int] = mapped_column(Integer, default=0)

    stand: Mapped[Registration] = relationship()
    paired_by: Mapped[Person | None] = relationship()


class PairingCode(db.Model):
    """A short code a team member shows (as text and QR) to pair a device with the stand."""

    __tablename__ = "lead_pairing_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_name: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Lead(SearchKey, db.Model):
    """What a stand knows of one person it scanned: one row however often they were scanned (R3)."""

    __tablename__ = "lead"
    __table_args__ = (UniqueConstraint("stand_id", "registration_id"),)
    search_fields = ("notes",)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    first_scanned_at: Mapped[datetime] = mapped_column(DateTime)
    last_scanned_at: Mapped[datetime] = mapped_column(DateTime)
    num_scans: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    stand: Mapped[Registration] = relationship(foreign_keys=[stand_id])
    registration: Mapped[Registration] = relationship(foreign_keys=[registration_id])


class Scan(db.Model):
    """One scan as the device sent it, stored once per client id (R2, R4)."""

    __tablename__ = "lead_scan"
    __table_args__ = (
        UniqueConstraint("stand_id", "client_id"),
        # Matching scans to planned visits: a stand's scans over a time window.
        Index("ix_lead_scan_stand_id_scanned_at", "stand_id", "scanned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    #: The startup's registration (the stand side of a visit).
    stand_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    #: The scanned person's registration (the visitor side).
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("lead_device.id", ondelete="SET NULL"), nullable=True)
    client_id: Mapped[str] = mapped_column(String(64))
    #: When the device scanned, by its own clock, in UTC (an offline scan keeps it).
    scanned_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    notes: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)

    lead: Mapped[Lead] = relationship()
    device: Mapped[Device | None] = relationship()


class StandTag(db.Model):
    """A startup's own tags, offered as one-tap choices in the scanner."""

    __tablename__ = "lead_stand_tag"
    __table_args__ = (UniqueConstraint("stand_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
