"""The replication room's own tables: the organisers' answers to the wishes it suggests to an edition's
demonstrator, and the monthly digest's opt-outs and sendings. Times are stored in UTC."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timefmt import utcnow
from app.extensions import db


class WishSuggestionAnswer(db.Model):
    """An organiser's (or the official's) answer to a wish suggested by a replication: confirmed (a wish was
    made) or dismissed, so that it is not suggested again."""

    __tablename__ = "network_wish_suggestion"
    __table_args__ = (UniqueConstraint("from_registration_id", "to_registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    from_registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    to_registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    is_confirmed: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)


class DigestOptOut(db.Model):
    """A city contact who unsubscribed from the monthly digest."""

    __tablename__ = "network_digest_opt_out"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DigestSent(db.Model):
    """The digest of one month sent to one city: a job run twice (a retry after a crash) sends it once."""

    __tablename__ = "network_digest_sent"
    __table_args__ = (UniqueConstraint("city_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("network_city.id", ondelete="CASCADE"))
    #: "2026-12"
    month: Mapped[str] = mapped_column(String(7))
    num_recipients: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
