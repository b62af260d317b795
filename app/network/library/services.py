"""Publishing a project in the library: who may (a member city's contacts, for their city; the network's
organisers), what is checked, and every write with its index row and audit row in one commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.extensions import db
from app.network.errors import Conflict, NetworkError, NotAllowed, NotFound
from app.network.library import search
from app.network.members.standing import (Reader, is_network_organiser, may_act_for, may_see,
                                          member_cities_of)
from app.network.models import (Agreement, BudgetBand, NetworkCity, NetworkTheme, Project, ProjectStatus, Replication,
                                Visibility)
from app.outcomes.models import Outcome
from app.people.models import Person

#: Longest texts a form takes (a title is a column of 200).
MAX_TITLE = 200
MAX_TEXT = 20_000
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
TEXTS = ("summary_fr", "summary_en", "funding", "results", "lessons_worked", "lessons_failed",
         "lessons_differently")


@dataclass
class ProjectInput:
    """A project as sent by its form: texts as typed, choices as their codes, ids as numbers."""

    title_fr: str = ""
    title_en: str = ""
    summary_fr: str = ""
    summary_en: str = ""
    status: str = ""
    started_on: str = ""
    ended_on: str = ""
    budget_band: str = BudgetBand.UNKNOWN.value
    funding: str = ""
    results: str = ""
    lessons_worked: str = ""
    lessons_failed: str = ""
    lessons_differently: str = ""
    visibility: str = Visibility.DRAFT.value
    theme_ids: list[int] = field(default_factory=list)
    outcome_id: int | None = None
    #: One of the city's contacts (its official or staff contact), or None: nobody else is named, so that nobody
    #: else's address is shown to member cities.
    contact_id: int | None = None
    #: The city, when a network organiser publishes (a contact publishes for her member city).
    city_id: int | None = None


def may_publish(person: Person | None, city: NetworkCity) -> bool:
    """A member city's contacts publish for it, and the network's organisers for any city. A lapsed member's
    contacts no longer do."""
    return is_network_organiser(person) or may_act_for(person, city)


def cities_for(person: Person | None) -> list[NetworkCity]:
    """The cities `person` may publish for (every city with a page, for an organiser)."""
    if is_network_organiser(person):
        return list(db.session.scalars(select(NetworkCity).order_by(NetworkCity.id)))
    return member_cities_of(person)


def editable(project_id: int, person: Person | None) -> Project:
    """The project `person` may edit: NotFound when she may not even see it (a draft does not leak), NotAllowed
    when she sees it but may not change it."""
    project = db.session.get(Project, project_id)
    if project is None or not may_see(Reader.of(person), project):
        raise NotFound("project_not_found", "project")
    if not may_publish(person, project.city):
        raise NotAllowed("not_your_city", "project")
    return project


def outcomes_of(city: NetworkCity) -> list[Outcome]:
    """The meeting outcomes a city's project may have grown from: those recorded for its organisation."""
    return list(db.session.scalars(select(Outcome).where(Outcome.organisation_id == city.organisation_id)
                                   .order_by(Outcome.id.desc())))


def _date(raw: str, name: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise NetworkError("date_invalid", name) from None
    if not EARLIEST <= day <= LATEST:
        raise NetworkError("date_out_of_range", name, earliest=EARLIEST, latest=LATEST)
    return day


def _contact(data: ProjectInput, city: NetworkCity) -> Person | None:
    if data.contact_id is None:
        return None
    if data.contact_id not in (city.official_contact_id, city.staff_contact_id):
        raise NetworkError("contact_not_of_city", "contact_id")
    return db.session.get(Person, data.contact_id)


def _checked(data: ProjectInput, city: NetworkCity) -> dict:
    """The project's fields from `data`, every one checked: NetworkError names the first wrong one."""
    values = {"title_fr": data.title_fr.strip(), "title_en": data.title_en.strip()}
    if not values["title_fr"]:
        raise NetworkError("title_required", "title_fr")
    for name in ("title_fr", "title_en"):
        if len(values[name]) > MAX_TITLE:
            raise NetworkError("too_long", name, max=MAX_TITLE)
    for name in TEXTS:
        values[name] = getattr(data, name).strip()
        if len(values[name]) > MAX_TEXT:
            raise NetworkError("too_long", name, max=MAX_TEXT)
    choices = (("status", ProjectStatus), ("budget_band", BudgetBand), ("visibility", Visibility))
    for name, kind in choices:
        raw = (getattr(data, name) or "").strip()
        if raw not in {member.value for member in kind}:
            raise NetworkError(f"{name}_invalid", name)
        values[name] = kind(raw)
    values["started_on"] = _date(data.started_on, "started_on")
    values["ended_on"] = _date(data.ended_on, "ended_on")
    if values["started_on"] and values["ended_on"] and values["ended_on"] < values["started_on"]:
        raise NetworkError("ends_before_start", "ended_on")
    themes = list(db.session.scalars(select(NetworkTheme).where(NetworkTheme.id.in_(set(data.theme_ids)))))
    if len(themes) != len(set(data.theme_ids)):
        raise NetworkError("theme_unknown", "theme_ids")
    values["themes"] = sorted(themes, key=lambda t: (t.position, t.id))
    values["outcome_id"] = None
    if data.outcome_id is not None:
        if data.outcome_id not in {o.id for o in outcomes_of(city)}:
            raise NetworkError("outcome_not_of_city", "outcome_id")
        values["outcome_id"] = data.outcome_id
    values["contact"] = _contact(data, city)
    return values


def _apply(project: Project, values: dict) -> None:
    for name, value in values.items():
        setattr(project, name, value)
    if project.visibility is not Visibility.DRAFT and project.published_at is None:
        project.published_at = utcnow()


def create_project(data: ProjectInput, *, actor: Person) -> Project:
    cities = cities_for(actor)
    if not cities:
        raise NotAllowed("not_a_member_contact", "city_id")
    city = next((c for c in cities if c.id == data.city_id), None) if data.city_id is not None else (
        cities[0] if len(cities) == 1 else None)
    if city is None:
        raise NetworkError("city_required", "city_id")
    with atomic():
        values = _checked(data, city)
        project = Project(city=city, created_by_id=actor.id)
        _apply(project, values)
        db.session.add(project)
        db.session.flush()
        search.reindex([project], known_new=True)
        audit.record("network.project.create", actor_id=actor.id, obj=project,
                     details={"city_id": city.id, "visibility": project.visibility.value})
    return project


def update_project(project: Project, data: ProjectInput, *, actor: Person) -> Project:
    if not may_publish(actor, project.city):
        raise NotAllowed("not_your_city", "project")
    with atomic():
        values = _checked(data, project.city)
        changed = sorted(name for name, value in values.items() if getattr(project, name) != value)
        _apply(project, values)
        project.updated_at = utcnow()
        db.session.flush()
        search.reindex([project])
        audit.record("network.project.edit", actor_id=actor.id, obj=project, details={"changed": changed})
    return project


def delete_project(project: Project, *, actor: Person, confirmed: bool) -> None:
    if not may_publish(actor, project.city):
        raise NotAllowed("not_your_city", "project")
    if not confirmed:
        raise NetworkError("confirm_required", "confirm")
    with atomic():
        # Its replications go with it: refused while other cities are at work on one (declined and withdrawn
        # requests are history only).
        if db.session.scalar(select(func.count()).select_from(Replication).where(
                Replication.project_id == project.id, Replication.answer != Agreement.DECLINED,
                Replication.is_cancelled.is_(False))):
            raise Conflict("project_replicated", "confirm")
        search.forget([project.id])
        audit.record("network.project.delete", actor_id=actor.id, obj=project,
                     details={"title": project.title_fr, "city_id": project.city_id})
        db.session.delete(project)

