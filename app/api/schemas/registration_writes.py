"""What a client sends to create or change a registration: the public form's fields, with the form's limits."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from app.events.forms import COUNTRIES
from app.events.models import CategoryCode
from app.registrations.models import Mandate

#: A name: something besides spaces, at most 100 characters (the form's limits).
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[EmailStr, StringConstraints(max_length=254)]


def _short(limit: int):
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=limit)]


def _once_each(values: list | None) -> list | None:
    """A day or a theme given twice counts once (in the order given)."""
    return list(dict.fromkeys(values)) if values is not None else None


class ConsentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    directory: bool = Field(False, description="Listed in the attendees' directory.")
    share_contact: bool = Field(False, description="Agrees that stands it visits get its contact details.")


class TeamMemberIn(BaseModel):
    """A startup's team member, registered with the startup and linked to its team lead."""

    model_config = ConfigDict(extra="forbid")

    first_name: Name
    last_name: Name
    email: Email


class RegistrationIn(BaseModel):
    """A new registration, checked as the public form checks it. An official (`elu`) needs `mandate` and
    `territory`; a startup needs `organisation_name` and `pitch`, and may bring up to 3 team members; a company
    (`entreprise`), a media outlet (`presse`) and a decision maker (`decideur`) need `organisation_name`. Its
    status follows the category's rules (confirmed, pending approval, or waiting list when full), and the person
    gets the same e-mail as after the form."""

    model_config = ConfigDict(extra="forbid")

    category: CategoryCode
    email: Email
    first_name: Name
    last_name: Name
    phone: _short(40) = ""
    country: str = Field("FR", description="ISO 3166 code, one of the countries the form offers.")
    locale: Literal["fr", "en"] = Field("fr", description="The language of the person's e-mails.")
    organisation_name: _short(200) = ""
    job_title: _short(200) = ""
    mandate: Mandate | None = Field(None, description="An official's mandate (required for `elu`).")
    mandate_title: _short(120) = Field("", description="The title as printed on the badge (\"Mairesse\").")
    territory: _short(200) = Field("", description="An official's city or territory (required for `elu`).")
    population: int | None = Field(None, ge=0, le=100_000_000)
    pitch: _short(800) = Field("", description="A startup's innovation in a few lines (required for `startup`).")
    pitch_en: _short(800) = ""
    website: _short(300) = ""
    days: list[date] = Field(max_length=31, description="The days attended, within the edition's dates.")
    themes: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=list, max_length=50, description="Theme codes of the edition.")
    consents: ConsentsIn = Field(default_factory=ConsentsIn)
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=3,
                                     description="A startup's team members (other categories: empty).")

    _days_once = field_validator("days", "themes")(_once_each)

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if value not in COUNTRIES:
            raise ValueError("not one of " + ", ".join(COUNTRIES))
        return value


def _omitted_by_default(schema: dict) -> None:
    """A field left out is not changed: the document gives no default (null is not a value of these fields)."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class RegistrationPatch(BaseModel):
    """What an organiser may change on a registration, as on its page in the back office: only the fields
    given change. Its status changes through `/status`; the person's own details stay theirs."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_omitted_by_default)

    category: CategoryCode = Field(None, description="Another category of the edition.")
    job_title: _short(200) = None
    territory: _short(200) = None
    mandate_title: _short(120) = Field(None, description="An official's title (ignored for others).")
    days: list[date] = Field(None, max_length=31)
    themes: list[Annotated[str, StringConstraints(max_length=40)]] = Field(None, max_length=50)

    _days_once = field_validator("days", "themes")(_once_each)


class StatusChange(BaseModel):
    """Confirm a registration pending approval or on the waiting list, or cancel one (`reason` "declined" for an
    organiser's refusal). Asking for the status it already has changes nothing."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["confirmed", "cancelled"]
    reason: Literal["cancelled", "declined"] = Field("cancelled", description="Why a registration is cancelled.")
