"""A registration, as much of it as the token's scopes allow."""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.registrations.models import Registration


class Consents(BaseModel):
    directory: bool = Field(description="Listed in the attendees' directory.")
    share_contact: bool = Field(description="Agrees that stands it visits get its contact details.")
    updated_at: UtcDateTime | None


class RegistrationOut(BaseModel):
    """A registration of the edition. `email` and `phone` are given only to a token with `registrations:contact`
    (null otherwise)."""

    id: int
    person_id: int
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    category: str = Field(examples=["elu"])
    status: str = Field(examples=["confirmed"])
    organisation: str | None
    organisation_id: int | None
    job_title: str
    mandate: str | None
    territory: str
    country: str
    locale: str
    days: list[date] = Field(description="The days attended (empty: every day).")
    themes: list[str]
    delegation_id: int | None
    team_lead_id: int | None = Field(description="A startup's team member: the registration of its team lead.")
    consents: Consents
    source: str
    created_at: UtcDateTime
    updated_at: UtcDateTime
    confirmed_at: UtcDateTime | None
    cancelled_at: UtcDateTime | None

    @classmethod
    def of(cls, r: Registration, *, contact: bool) -> RegistrationOut:
        person = r.person
        return cls(
            id=r.id, person_id=r.person_id, first_name=person.first_name, last_name=person.last_name,
            email=person.email if contact else None, phone=(person.phone or "") if contact else None,
            category=str(r.category.code), status=str(r.status),
            organisation=r.organisation.name if r.organisation else None, organisation_id=r.organisation_id,
            job_title=r.job_title or "", mandate=str(r.mandate) if r.mandate else None, territory=r.territory or "",
            country=person.country, locale=person.locale, days=[date.fromisoformat(d) for d in (r.days or [])],
            themes=[t.code for t in r.themes], delegation_id=r.delegation_id, team_lead_id=r.team_lead_id,
            consents=Consents(directory=r.consent_directory, share_contact=r.consent_share_contact,
                              updated_at=r.consent_updated_at),
            source=r.source or "", created_at=r.created_at, updated_at=r.updated_at, confirmed_at=r.confirmed_at,
            cancelled_at=r.cancelled_at)
