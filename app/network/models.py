"""The network between summits (issue 28): member cities and their memberships per year, the library of projects
and lessons learned, replications of a project by another city, and consortia of cities around one solution.

A member city is an organisation of kind *collectivité*: the same record that registrations, outcomes and stands
name, recognised from one edition to the next. Dates are calendar dates; times are stored in UTC.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (Boolean, Column, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.extensions import db
from app.outcomes.models import Outcome
from app.people.models import Organisation, Person


class NetworkTheme(db.Model):
    """A theme of the network (mobility, energy, e-government...), shared by cities and projects, named in both
    languages. The editions keep their own themes; these are the network's, which outlive them."""

    __tablename__ = "network_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    def name(self, locale: str) -> str:
        return self.name_en if str(locale).startswith("en") and self.name_en else self.name_fr


city_theme = Table(
    "network_city_theme", db.metadata,
    Column("city_id", ForeignKey("network_city.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("network_theme.id", ondelete="CASCADE"), primary_key=True, index=True),
)

project_theme = Table(
    "network_project_theme", db.metadata,
    Column("project_id", ForeignKey("network_project.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("network_theme.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class NetworkOrganiser(db.Model):
    """A network organiser: a role above editions (admits, renews and lapses member cities). Platform staff are
    network organisers too, without a row."""

    __tablename__ = "network_organiser"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class NetworkCity(db.Model):
    """A city's page in the network: one per organisation (of kind collectivité), whatever its membership.
    Population and country are the organisation's own."""

    __tablename__ = "network_city"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), unique=True)
    region: Mapped[str] = mapped_column(String(120), default="")
    #: The day it first became a member (kept when it lapses and comes back).
    joined_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: The member city that brought it in (a twinning), when one did.
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("network_city.id", ondelete="SET NULL"),
                                                   nullable=True)
    official_contact_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"),
                                                            nullable=True, index=True)
    staff_contact_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"),
                                                         nullable=True, index=True)
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    sponsor: Mapped[NetworkCity | None] = relationship(remote_side=[id])
    official_contact: Mapped[Person | None] = relationship(foreign_keys=[official_contact_id])
    staff_contact: Mapped[Person | None] = relationship(foreign_keys=[staff_contact_id])
    themes: Mapped[list[NetworkTheme]] = relationship(secondary=city_theme, order_by=NetworkTheme.position)
    memberships: Mapped[list[Membership]] = relationship(back_populates="city", order_by="Membership.year",
                                                         cascade="all, delete-orphan")
    places: Mapped[list[Place]] = relationship(back_populates="city", order_by="Place.name",
                                               cascade="all, delete-orphan")

    @property
    def name(self) -> str:
        return self.organisation.name


class MembershipStatus(enum.StrEnum):
    CANDIDATE = "candidate"
    MEMBER = "member"
    LAPSED = "lapsed"


class Membership(db.Model):
    """A city's standing in the network for one calendar year."""

    __tablename__ = "network_membership"
    __table_args__ = (UniqueConstraint("city_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("network_city.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[MembershipStatus] = mapped_column(enum_column_type(MembershipStatus))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    city: Mapped[NetworkCity] = relationship(back_populates="memberships")


class PlaceKind(enum.StrEnum):
    INCUBATOR = "incubator"
    THIRD_PLACE = "third_place"   # tiers-lieu


class Place(db.Model):
    """An incubator or a third place (tiers-lieu) of a city's territory."""

    __tablename__ = "network_place"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("network_city.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PlaceKind] = mapped_column(enum_column_type(PlaceKind))
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str] = mapped_column(String(300), default="")

    city: Mapped[NetworkCity] = relationship(back_populates="places")


class ProjectStatus(enum.StrEnum):
    IDEA = "idea"
    TENDER = "tender"          # call for tenders
    PILOT = "pilot"
    DEPLOYED = "deployed"
    ABANDONED = "abandoned"


class BudgetBand(enum.StrEnum):
    UNKNOWN = "unknown"
    UNDER_50K = "under_50k"
    UNDER_200K = "50k_200k"
    UNDER_1M = "200k_1m"
    OVER_1M = "over_1m"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"        # member cities' contacts and network organisers
    DRAFT = "draft"            # its city's contacts and network organisers


class Project(db.Model):
    """A project of a member city, with what it measured and what it learned. Searched through its full-text
    index (`app.network.library.search`), kept up to date by the service that writes it."""

    __tablename__ = "network_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("network_city.id", ondelete="CASCADE"), index=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_fr: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProjectStatus] = mapped_column(enum_column_type(ProjectStatus), index=True)
    started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    budget_band: Mapped[BudgetBand] = mapped_column(enum_column_type(BudgetBand), default=BudgetBand.UNKNOWN)
    #: How it was funded (own budget, State, EU funds, a call for projects...).
    funding: Mapped[str] = mapped_column(Text, default="")
    #: The meeting outcome it grew from, when there is one.
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"), nullable=True,
                                                   index=True)
    results: Mapped[str] = mapped_column(Text, default="")
    lessons_worked: Mapped[str] = mapped_column(Text, default="")
    lessons_failed: Mapped[str] = mapped_column(Text, default="")
    lessons_differently: Mapped[str] = mapped_column(Text, default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True,
                                                   index=True)
    visibility: Mapped[Visibility] = mapped_column(enum_column_type(Visibility), default=Visibility.DRAFT,
                                                   index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)
    #: When it was first made visible beyond its city (public or members): the digest's "new projects".
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)

    city: Mapped[NetworkCity] = relationship()
    outcome: Mapped[Outcome | None] = relationship()
    contact: Mapped[Person | None] = relationship(foreign_keys=[contact_id])
    themes: Mapped[list[NetworkTheme]] = relationship(secondary=project_theme, order_by=NetworkTheme.position)
    partners: Mapped[list[ProjectPartner]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                                         order_by="ProjectPartner.id")
    documents: Mapped[list[ProjectDocument]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                                           order_by="ProjectDocument.id")

    def title(self, locale: str) -> str:
        return self.title_en if str(locale).startswith("en") and self.title_en else self.title_fr

    def summary(self, locale: str) -> str:
        return self.summary_en if str(locale).startswith("en") and self.summary_en else self.summary_fr


class Agreement(enum.StrEnum):
    PENDING = "pending"
    AGREED = "agreed"
    DECLINED = "declined"


class ProjectPartner(db.Model):
    """A startup or company involved in a project. A startup is shown only once it agreed (any of its people
    with an account answers); a company is shown at once."""

    __tablename__ = "network_project_partner"
    __table_args__ = (UniqueConstraint("project_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("network_project.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    #: What it did in the project ("supplied the sensors", "ran the pilot").
    role: Mapped[str] = mapped_column(String(200), default="")
    agreement: Mapped[Agreement] = mapped_column(enum_column_type(Agreement), default=Agreement.PENDING)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    project: Mapped[Project] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()


class ProjectDocument(db.Model):
    """A PDF attached to a project, stored in the database with the project (one commit, one backup)."""

    __tablename__ = "network_project_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("network_project.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    project: Mapped[Project] = relationship(back_populates="documents")


class ReplicationStage(enum.StrEnum):
    """Where a replication stands once accepted, after URBACT's "understand, adapt, re-use"."""

    IN_TOUCH = "in_touch"
    EXCHANGE = "exchange"          # exchange or visit
    ADAPTED_PLAN = "adapted_plan"
    DEPLOYED = "deployed"
    DROPPED = "dropped"


class Replication(db.Model):
    """A member city asking to replicate another city's project. The project's city answers (its contacts see
    the asking city's once it accepts, and the other way round); the startup of the project, when there is one,
    answers for itself. Once accepted, the asking city records the stages."""

    __tablename__ = "network_replication"
    __table_args__ = (UniqueConstraint("project_id", "city_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("network_project.id", ondelete="CASCADE"), index=True)
    #: The city that asks.
    city_id: Mapped[int] = mapped_column(ForeignKey("network_city.id", ondelete="CASCADE"), index=True)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    #: The project's city's answer.
    answer: Mapped[Agreement] = mapped_column(enum_column_type(Agreement), default=Agreement.PENDING, index=True)
    answer_reason: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: The project's startup (its first agreed startup partner), when there is one, and its answer.
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"),
                                                   nullable=True, index=True)
    startup_answer: Mapped[Agreement | None] = mapped_column(enum_column_type(Agreement), nullable=True)
    startup_answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: Set when the project's city accepts (IN_TOUCH), then moved by the asking city.
    stage: Mapped[ReplicationStage | None] = mapped_column(enum_column_type(ReplicationStage), nullable=True,
                                                           index=True)
    #: The asking city withdrew its request before an answer.
    is_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    project: Mapped[Project] = relationship()
    city: Mapped[NetworkCity] = relationship()
    asked_by: Mapped[Person | None] = relationship(foreign_keys=[asked_by_id])
    startup: Mapped[Organisation | None] = relationship()
    steps: Mapped[list[ReplicationStep]] = relationship(back_populates="replication", cascade="all, delete-orphan",
                                                       order_by="ReplicationStep.id")


class ReplicationStep(db.Model):
    """One step of a replication's history: asked, answered, a stage reached, with a note."""

    __tablename__ = "network_replication_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    replication_id: Mapped[int] = mapped_column(ForeignKey("network_replication.id", ondelete="CASCADE"),
                                                index=True)
    #: asked, accepted, declined, cancelled, startup_agreed, startup_declined, or a ReplicationStage value.
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)

    replication: Mapped[Replication] = relationship(back_populates="steps")
    by: Mapped[Person | None] = relationship()


class ConsortiumPurpose(enum.StrEnum):
    JOINT_PURCHASE = "joint_purchase"
    SHARED_DEPLOYMENT = "shared_deployment"


class ConsortiumStatus(enum.StrEnum):
    FORMING = "forming"
    ACTIVE = "active"          # purchasing or deploying together
    DONE = "done"
    DISSOLVED = "dissolved"


consortium_member = Table(
    "network_consortium_member", db.metadata,
    Column("consortium_id", ForeignKey("network_consortium.id", ondelete="CASCADE"), primary_key=True),
    Column("city_id", ForeignKey("network_city.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Consortium(db.Model):
    """Cities interested in the same solution, buying or deploying it together, led by one of them."""

    __tablename__ = "network_consortium"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[ConsortiumPurpose] = mapped_column(enum_column_type(ConsortiumPurpose))
    status: Mapped[ConsortiumStatus] = mapped_column(enum_column_type(ConsortiumStatus),
                                                     default=ConsortiumStatus.FORMING)
    #: The solution: a startup (its organisation) and, when it starts from one, a project of the library.
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"),
                                                   nullable=True, index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("network_project.id", ondelete="SET NULL"),
                                                   nullable=True)
    lead_city_id: Mapped[int] = mapped_column(ForeignKey("network_city.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    startup: Mapped[Organisation | None] = relationship()
    project: Mapped[Project | None] = relationship()
    lead_city: Mapped[NetworkCity] = relationship()
    cities: Mapped[list[NetworkCity]] = relationship(secondary=consortium_member)
