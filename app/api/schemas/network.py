"""The network between summits as the API shows it: member cities, the library's projects, consortia."""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from app.api.contract.types import UtcDateTime
from app.network.members.standing import standing
from app.network.models import (Agreement, BudgetBand, Consortium, ConsortiumPurpose, ConsortiumStatus,
                                MembershipStatus, NetworkCity, PlaceKind, Project, ProjectStatus, Visibility)
from app.people.models import OrganisationKind, Person


class ContactOut(BaseModel):
    person_id: int
    name: str
    job_title: str
    email: str | None = Field(description="Only with the `registrations:contact` scope; null otherwise.")

    @classmethod
    def of(cls, person: Person | None, with_email: bool) -> ContactOut | None:
        if person is None:
            return None
        return cls(person_id=person.id, name=f"{person.first_name} {person.last_name}".strip(),
                   job_title=person.job_title or "", email=person.email if with_email else None)


class MembershipOut(BaseModel):
    year: int
    status: MembershipStatus


class PlaceOut(BaseModel):
    kind: PlaceKind = Field(description="incubator or third_place (tiers-lieu).")
    name: str
    website: str


class CityOut(BaseModel):
    id: int
    organisation_id: int = Field(description="The city's organisation, the same as in registrations and outcomes.")
    name: str
    country: str
    region: str
    population: int | None
    standing: MembershipStatus | None = Field(description="This year's status (the latest membership so far).")
    memberships: list[MembershipOut]
    joined_on: date | None
    sponsor_id: int | None = Field(description="The member city that brought it in (a twinning).")
    themes: list[str] = Field(examples=[["mobilite", "energie"]], description="The network themes' codes.")
    description_fr: str
    description_en: str
    official_contact: ContactOut | None
    staff_contact: ContactOut | None
    places: list[PlaceOut]
    updated_at: UtcDateTime

    @classmethod
    def of(cls, c: NetworkCity, with_email: bool) -> CityOut:
        o = c.organisation
        return cls(id=c.id, organisation_id=o.id, name=o.name, country=o.country, region=c.region,
                   population=o.population, standing=standing(c),
                   memberships=[MembershipOut(year=m.year, status=m.status) for m in c.memberships],
                   joined_on=c.joined_on, sponsor_id=c.sponsor_id, themes=[t.code for t in c.themes],
                   description_fr=c.description_fr, description_en=c.description_en,
                   official_contact=ContactOut.of(c.official_contact, with_email),
                   staff_contact=ContactOut.of(c.staff_contact, with_email),
                   places=[PlaceOut(kind=p.kind, name=p.name, website=p.website) for p in c.places],
                   updated_at=c.updated_at)


class PartnerOut(BaseModel):
    organisation_id: int
    name: str
    kind: OrganisationKind
    role: str


class DocumentOut(BaseModel):
    id: int
    filename: str
    size: int = Field(description="In bytes.")


class ProjectOut(BaseModel):
    id: int
    city_id: int
    city_name: str
    title_fr: str
    title_en: str
    summary_fr: str
    summary_en: str
    themes: list[str] = Field(examples=[["mobilite"]])
    status: ProjectStatus
    visibility: Visibility = Field(description="public or members (a draft is never shown).")
    started_on: date | None
    ended_on: date | None
    budget_band: BudgetBand
    funding: str
    outcome_id: int | None = Field(description="The meeting outcome it grew from, when there is one.")
    results: str
    lessons_worked: str
    lessons_failed: str
    lessons_differently: str
    partners: list[PartnerOut] = Field(description="Companies, and startups once they agreed.")
    documents: list[DocumentOut]
    contact: ContactOut | None
    published_at: UtcDateTime | None
    updated_at: UtcDateTime

    @classmethod
    def of(cls, p: Project, with_email: bool) -> ProjectOut:
        partners = [PartnerOut(organisation_id=x.organisation_id, name=x.organisation.name,
                               kind=x.organisation.kind, role=x.role) for x in p.partners
                    if x.agreement is Agreement.AGREED or x.organisation.kind != OrganisationKind.STARTUP]
        return cls(id=p.id, city_id=p.city_id, city_name=p.city.name, title_fr=p.title_fr, title_en=p.title_en,
                   summary_fr=p.summary_fr, summary_en=p.summary_en, themes=[t.code for t in p.themes],
                   status=p.status, visibility=p.visibility, started_on=p.started_on, ended_on=p.ended_on,
                   budget_band=p.budget_band, funding=p.funding, outcome_id=p.outcome_id, results=p.results,
                   lessons_worked=p.lessons_worked, lessons_failed=p.lessons_failed,
                   lessons_differently=p.lessons_differently, partners=partners,
                   documents=[DocumentOut(id=d.id, filename=d.filename, size=d.size) for d in p.documents],
                   contact=ContactOut.of(p.contact, with_email), published_at=p.published_at,
                   updated_at=p.updated_at)


class ConsortiumOut(BaseModel):
    id: int
    title: str
    description: str
    purpose: ConsortiumPurpose
    status: ConsortiumStatus
    startup_id: int | None = Field(description="The startup whose solution it is (its organisation).")
    startup_name: str | None
    project_id: int | None = Field(description="The library's project it starts from (null for a draft).")
    lead_city_id: int
    city_ids: list[int]
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @classmethod
    def of(cls, c: Consortium) -> ConsortiumOut:
        shown = c.project is not None and c.project.visibility is not Visibility.DRAFT
        return cls(id=c.id, title=c.title, description=c.description, purpose=c.purpose, status=c.status,
                   startup_id=c.startup_id, startup_name=c.startup.name if c.startup else None,
                   project_id=c.project_id if shown else None, lead_city_id=c.lead_city_id,
                   city_ids=sorted(city.id for city in c.cities), created_at=c.created_at, updated_at=c.updated_at)
