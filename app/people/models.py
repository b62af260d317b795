"""Organisations and people. A person has one account across all editions."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core.columns import enum_column_type
from app.core.search import SearchKey, fold
from app.core.timefmt import utcnow
from app.extensions import db



def display_name(first_name: str, last_name: str) -> str:
    """How a person is named on every page, list and export: "Camille Durand"."""
    return f"{first_name} {last_name}".strip()

class OrganisationKind(enum.StrEnum):
    COLLECTIVITE = "collectivite"
    STARTUP = "startup"
    ENTREPRISE = "entreprise"
    INSTITUTION = "institution"
    PRESSE = "presse"
    ASSOCIATION = "association"
    AUTRE = "autre"


def organisation_key(name: str) -> str:
    """What makes two organisation names one: case, accents, spaces and punctuation aside ("Ville de Nevers",
    "ville de  nevers", "VILLE DE NÉVERS" and "Ville-de-Nevers" -> "villedenevers")."""
    return fold(name).replace(" ", "")


class Organisation(SearchKey, db.Model):
    """A city, a startup, a company... shared by every edition: the same one is recognised from one summit to the
    next by its `name_key`, kind and country (a city is the same city only in the same country)."""

    __tablename__ = "organisation"
    __table_args__ = (Index("ix_organisation_name_key_country", "name_key", "country"),)
    search_fields = ("name",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    #: `organisation_key(name)`, kept up to date whenever the name is set.
    name_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    kind: Mapped[OrganisationKind] = mapped_column(enum_column_type(OrganisationKind))
    country: Mapped[str] = mapped_column(String(2), default="FR")
    city: Mapped[str] = mapped_column(String(120), default="")
    territory: Mapped[str] = mapped_column(String(200), default="")
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    #: A startup's innovation in a few lines, in French and, when filled, in English.
    pitch: Mapped[str] = mapped_column(Text, default="")
    pitch_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    members: Mapped[list[Person]] = relationship(back_populates="organisation")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = organisation_key(name)
        return name


def new_session_token() -> str:
    return secrets.token_hex(16)


class Person(UserMixin, SearchKey, db.Model):
    """Someone known to Médiane; an account once a password is set."""

    __tablename__ = "person"
    #: The name only: a stand searching its contacts must not find people by an e-mail it may not see.
    search_fields = ("first_name", "last_name")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="FR")
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True, index=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: False disables the account: no login, and existing sessions end.
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Platform staff organise every edition and may create new ones.
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Part of the login session id: changing it ends every session and remember-me cookie.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.last_name)

    @property
    def sort_name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    # Flask-Login
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_enabled
