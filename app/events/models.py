"""Editions of the summit, their registration categories and thematic tracks."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.extensions import db


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class CategoryCode(enum.StrEnum):
    ELU = "elu"
    DECIDEUR = "decideur"
    STARTUP = "startup"
    ENTREPRISE = "entreprise"
    INTERVENANT = "intervenant"
    PRESSE = "presse"
    VISITEUR = "visiteur"


class Event(db.Model):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: The texts the public reads are written in French, and in English when `<field>_en` is filled
    #: (app.core.i18n.localized picks by the interface's language).
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    venue: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    languages: Mapped[str] = mapped_column(String(40), default="fr,en")
    status: Mapped[EventStatus] = mapped_column(enum_column_type(EventStatus), default=EventStatus.DRAFT)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    categories: Mapped[list[Category]] = relationship(
        back_populates="event", order_by="Category.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(
        back_populates="event", order_by="Theme.position", cascade="all, delete-orphan"
    )

    @property
    def days(self) -> list[date]:
        return [self.starts_on + timedelta(days=i) for i in range((self.ends_on - self.starts_on).days + 1)]

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == EventStatus.OPEN

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code.value == code), None)


class Category(db.Model):
    """A registration category of one edition, with its approval rule and cap."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[CategoryCode] = mapped_column(enum_column_type(CategoryCode))
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="categories")


class Theme(db.Model):
    """A thematic track of one edition (interests of attendees, fields of startups)."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[Event] = relationship(back_populates="themes")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_fr
