"""The reminders of the day before: one row per person, edition and day of meetings, written with the mail."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timefmt import utcnow
from app.extensions import db


class MeetingReminder(db.Model):
    """A person was reminded of her meetings of `day` (local) at `event`: the unique row refuses a second mail,
    even from two passes at the same instant."""

    __tablename__ = "meeting_reminder"
    __table_args__ = (UniqueConstraint("event_id", "person_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    num_meetings: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
