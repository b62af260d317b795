"""The demonstrator hall: its stands and entrances, who holds which stand when, closures, and the
tour slots (*parcours*) when guided visits run.

Times are stored in UTC. Positions are in metres from the hall's top-left corner.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timefmt import utcnow
from app.events.models import Event, Theme
from app.extensions import db
from app.registrations.models import Registration


class Hall(db.Model):
    """An edition's demonstrator hall and the settings of its visit planning."""

    __tablename__ = "hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    width: Mapped[float] = mapped_column(Float, default=60.0)
    depth: Mapped[float] = mapped_column(Float, default=40.0)
    #: An uploaded floor plan drawn behind the stands (PNG or JPEG), stretched to width x depth.
    image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    image_type: Mapped[str] = mapped_column(String(20), default="")
    #: Metres per minute; a guided group walks slower than one person.
    walking_speed: Mapped[float] = mapped_column(Float, default=40.0)
    visit_minutes: Mapped[int] = mapped_column(Integer, default=10)
    #: Visits each startup should get at least (a wish, weighed by shortfall_penalty).
    min_visits: Mapped[int] = mapped_column(Integer, default=3)
    #: Scoring weights, per member of a visiting group.
    weight_base: Mapped[float] = mapped_column(Float, default=0.0)
    weight_theme: Mapped[float] = mapped_column(Float, default=2.0)
    weight_wish: Mapped[float] = mapped_column(Float, default=5.0)
    weight_mutual: Mapped[float] = mapped_column(Float, default=12.0)
    shortfall_penalty: Mapped[float] = mapped_column(Float, default=4.0)
    change_penalty: Mapped[float] = mapped_column(Float, default=3.0)
    #: A tour slot with fewer visits than this is left free for the visitor (a lone 10-minute stand is no tour).
    min_route_visits: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()


class Entrance(db.Model):
    """Where tours start and end; the first one (by position) is the main entrance."""

    __tablename__ = "hall_entrance"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    #: Its name in English, shown in the English interface (the French `name` when empty).
    name_en: Mapped[str] = mapped_column(String(60), default="")
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Stand(db.Model):
    """A stand of the hall: a rectangle at (x, y) of width x depth metres."""

    __tablename__ = "stand"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float, default=3.0)
    depth: Mapped[float] = mapped_column(Float, default=3.0)
    #: The label shown with the stand's number (a zone or theme), in French and, when filled, in English.
    zone: Mapped[str] = mapped_column(String(60), default="")
    zone_en: Mapped[str] = mapped_column(String(60), default="")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), nullable=True)
    #: How many groups may visit at the same time.
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    visit_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    min_visits: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_visits: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Changed when the stand is (an API client syncs what changed since its last pass).
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=True,
                                                        index=True)

    theme: Mapped[Theme | None] = relationship()
    bookings: Mapped[list[StandBooking]] = relationship(
        back_populates="stand", cascade="all, delete-orphan", order_by="StandBooking.starts_at")
    closures: Mapped[list[StandClosure]] = relationship(
        back_populates="stand", cascade="all, delete-orphan", order_by="StandClosure.starts_at")

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.depth / 2)


class StandBooking(db.Model):
    """A startup holds a stand from starts_at to ends_at."""

    __tablename__ = "stand_booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("stand.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)

    stand: Mapped[Stand] = relationship(back_populates="bookings")
    registration: Mapped[Registration] = relationship()


class StandClosure(db.Model):
    """A time a stand takes no visits (lunch, or an incident on the day)."""

    __tablename__ = "stand_closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("stand.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    stand: Mapped[Stand] = relationship(back_populates="closures")


class TourSlot(db.Model):
    """A window of the day when guided tours of the demonstrator run (a "parcours")."""

    __tablename__ = "tour_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    label: Mapped[str] = mapped_column(String(120), default="")
    #: Its name in English, shown in the English interface (the French `label` when empty).
    label_en: Mapped[str] = mapped_column(String(120), default="")
