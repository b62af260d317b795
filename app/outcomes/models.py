"""What came of a meeting between a startup and a city (or any organisation of an official or decision maker),
followed across editions, and the follow-up surveys that ask each side about it.

An outcome names organisations, which are shared by every edition: the same startup and the same city are
recognised from one summit to the next (and merged by an organiser when two records are one). The registrations
and the meeting it grew from are kept too, for the edition's report, and go to NULL if they are deleted.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.events.models import Event
from app.extensions import db
from app.people.models import Organisation, Person
from app.registrations.models import Registration


class OutcomeKind(enum.StrEnum):
    """What came of the meeting, from the least to the most committing."""

    FOLLOW_UP = "follow_up"      # contact followed up
    DEMO = "demo"
    PILOT = "pilot"
    TENDER = "tender"            # call for tenders
    CONTRACT = "contract"
    PARTNERSHIP = "partnership"
    NONE = "none"                # nothing came of it (said, so it is not asked again)


class OutcomeStatus(enum.StrEnum):
    PLANNED = "planned"          # envisaged, agreed in principle
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"


class OutcomeSource(enum.StrEnum):
    """The meeting it comes from."""

    VISIT = "visit"              # a planned visit that happened
    SCAN = "scan"                # a contact scanned at the stand
    MEETING = "meeting"          # a meeting on request that was held (app.meetings)
    MANUAL = "manual"            # added by hand (a meeting outside the hall, a call after the summit)


class OutcomeSide(enum.StrEnum):
    """Who recorded it or confirmed it."""

    STARTUP = "startup"
    CITY = "city"                # the official, decision maker or her delegation's coordinator
    ORGANISER = "organiser"


class Outcome(db.Model):
    __tablename__ = "outcome"
    __table_args__ = (Index("ix_outcome_event_id_kind", "event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The edition the meeting took place at.
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: The startup (its organisation, the same across editions).
    startup_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: The city or other organisation of the official or decision maker met.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: The startup's registration (its stand) in that edition.
    stand_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"),
                                                 nullable=True, index=True)
    #: The official or decision maker met, in that edition.
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"),
                                                        nullable=True, index=True)
    source: Mapped[OutcomeSource] = mapped_column(enum_column_type(OutcomeSource), default=OutcomeSource.MANUAL)
    planned_visit_id: Mapped[int | None] = mapped_column(ForeignKey("planned_visit.id", ondelete="SET NULL"),
                                                         nullable=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("lead.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[OutcomeKind] = mapped_column(enum_column_type(OutcomeKind))
    status: Mapped[OutcomeStatus] = mapped_column(enum_column_type(OutcomeStatus), default=OutcomeStatus.PLANNED)
    #: The date of the status (the pilot started, the contract signed...).
    status_on: Mapped[date] = mapped_column(Date)
    #: An amount in whole units of `currency` (EUR, CAD, XOF...), when there is one.
    amount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    recorded_side: Mapped[OutcomeSide] = mapped_column(enum_column_type(OutcomeSide))
    #: The other side said it is true (from her pages or the survey link).
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    startup: Mapped[Organisation] = relationship(foreign_keys=[startup_id])
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    stand: Mapped[Registration | None] = relationship(foreign_keys=[stand_id])
    registration: Mapped[Registration | None] = relationship(foreign_keys=[registration_id])
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])
    confirmed_by: Mapped[Person | None] = relationship(foreign_keys=[confirmed_by_id])


#: Months after the edition's last day at which a follow-up survey goes out.
SURVEY_WAVES = (1, 3, 6)


class SurveyInvitation(db.Model):
    """One follow-up survey mail to one person for one edition and wave, with a one-time link (no login).

    Only the hash of the link's token is stored; the link is spent once the answers are sent (answered_at)
    or once it expires.
    """

    __tablename__ = "outcome_survey"
    __table_args__ = (UniqueConstraint("event_id", "person_id", "wave"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: The person's registration in that edition (the stand's team lead for a startup).
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"),
                                                        nullable=True)
    side: Mapped[OutcomeSide] = mapped_column(enum_column_type(OutcomeSide))
    wave: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()
    registration: Mapped[Registration | None] = relationship()


class SurveyOptOut(db.Model):
    """A person who asked for no more follow-up surveys (from any edition)."""

    __tablename__ = "outcome_survey_opt_out"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
