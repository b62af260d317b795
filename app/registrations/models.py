"""Registrations of people to an edition, and delegations of officials."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.search import SearchKey
from app.core.timefmt import utcnow
from app.events.models import Category, Event, Theme
from app.extensions import db
from app.people.models import Organisation, Person


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Mandate(enum.StrEnum):
    MAIRE = "maire"
    MAIRE_ADJOINT = "maire_adjoint"
    CONSEILLER_MUNICIPAL = "conseiller_municipal"
    PRESIDENT_INTERCO = "president_interco"
    CONSEILLER_COMMUNAUTAIRE = "conseiller_communautaire"
    CONSEILLER_DEPARTEMENTAL = "conseiller_departemental"
    CONSEILLER_REGIONAL = "conseiller_regional"
    DEPUTE = "depute"
    SENATEUR = "senateur"
    # Belgium, Québec and Africa (issue 16).
    BOURGMESTRE = "bourgmestre"
    ECHEVIN = "echevin"
    PREFET = "prefet"
    PRESIDENT_REGION = "president_region"
    GOUVERNEUR = "gouverneur"
    AUTRE = "autre"


registration_theme = Table(
    "registration_theme",
    db.metadata,
    Column("registration_id", ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class Delegation(db.Model):
    """Officials of one territory who attend and visit together."""

    __tablename__ = "delegation"
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True
    )
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL", use_alter=True), nullable=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: Changed when the delegation is (an API client syncs what changed since its last pass).
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=True,
                                                        index=True)

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    coordinator: Mapped[Registration | None] = relationship(foreign_keys=[coordinator_id], post_update=True)
    members: Mapped[list[Registration]] = relationship(
        back_populates="delegation",
        foreign_keys="Registration.delegation_id",
        order_by="(Registration.protocol_rank, Registration.id)",
    )


class Registration(SearchKey, db.Model):
    __tablename__ = "registration"
    search_fields = ("territory", "job_title")
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column_type(RegistrationStatus), default=RegistrationStatus.PENDING, index=True
    )
    #: The organisation the person represents at this edition.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True, index=True
    )
    job_title: Mapped[str] = mapped_column(String(200), default="")
    mandate: Mapped[Mandate | None] = mapped_column(enum_column_type(Mandate), nullable=True)
    #: The title as the person wrote it ("Mairesse", "Première adjointe", "Échevine"): printed on the badge and
    #: shown wherever the mandate is; empty, the mandate's name stands in (`labels.mandate_title`).
    mandate_title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    territory: Mapped[str] = mapped_column(String(200), default="")
    #: ISO dates of the days attended.
    days: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_directory: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_share_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation.id", ondelete="SET NULL"), nullable=True, index=True
    )
    protocol_rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: For startup team members: the registration that brought them.
    team_lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(20), default="web")
    cancel_reason: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()
    category: Mapped[Category] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=registration_theme, order_by="Theme.position")
    delegation: Mapped[Delegation | None] = relationship(back_populates="members", foreign_keys=[delegation_id])
    team_lead: Mapped[Registration | None] = relationship(remote_side=[id], foreign_keys=[team_lead_id])

    @property
    def startup_name(self) -> str:
        """How a startup is named on stands, lists and exports: its organisation, else the person registered."""
        return self.organisation.name if self.organisation else self.person.full_name

    @property
    def day_dates(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.days or []]
