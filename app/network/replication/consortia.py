"""Consortia: member cities around one solution (a startup, and the library's project it starts from), buying or
deploying it together, led by the city that created it. Each change: an audit row, a mail to the others, one
commit."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.audit import services as audit
from app.core.i18n import supported_locale
from app.core.transaction import atomic
from app.extensions import db
from app.mail.services import send_mail
from app.network.errors import Conflict, NetworkError, NotAllowed, NotFound
from app.network.members.standing import Reader, may_act_for, member_cities_of
from app.network.members.standing import may_see as may_see_project
from app.network.models import Consortium, ConsortiumPurpose, ConsortiumStatus, Project, Visibility
from app.network.replication import sides
from app.network.replication.messages import CONSORTIUM_STATUSES
from app.people.models import Organisation, OrganisationKind, Person

MAX_TITLE = 200
MAX_DESCRIPTION = 5000


@dataclass
class ConsortiumInput:
    title: str
    description: str
    purpose: str
    startup_id: int | None
    project_id: int | None = None
    city_id: int | None = None


def get(consortium_id: int) -> Consortium:
    consortium = db.session.get(Consortium, consortium_id)
    if consortium is None:
        raise NotFound("unknown_consortium")
    return consortium


def startups() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(Organisation.kind == OrganisationKind.STARTUP)
                                   .order_by(Organisation.name)))


def _my_city(person, city_id: int | None, *, default: bool = False):
    """The member city `person` acts for: the one chosen (a form names it), or her only one when `default`."""
    cities = member_cities_of(person)
    if default and city_id is None and len(cities) == 1:
        return cities[0]
    city = next((c for c in cities if c.id == city_id), None)
    if city is None:
        raise NetworkError("unknown_city", "city_id")
    return city


def _tell(consortium: Consortium, template: str, people, person: Person, **context) -> None:
    for someone in {p.id: p for p in people if p.id != person.id}.values():
        locale = supported_locale(someone.locale)
        send_mail(someone.email, template=template, locale=locale, kind="network_consortium", lang=locale,
                  person=someone, consortium=consortium, by=person, statuses=CONSORTIUM_STATUSES, **context)


def _members_contacts(consortium: Consortium):
    return [p for city in consortium.cities for p in sides.city_contacts(city)]


def create(person: Person, data: ConsortiumInput) -> Consortium:
    with atomic():
        if not member_cities_of(person):
            raise NotAllowed("not_member_contact")
        city = _my_city(person, data.city_id, default=True)
        title, description = data.title.strip(), data.description.strip()
        if not title:
            raise NetworkError("title_required", "title")
        if len(title) > MAX_TITLE:
            raise NetworkError("too_long", "title", max=MAX_TITLE, length=len(title))
        if len(description) > MAX_DESCRIPTION:
            raise NetworkError("too_long", "description", max=MAX_DESCRIPTION, length=len(description))
        try:
            purpose = ConsortiumPurpose(data.purpose)
        except ValueError:
            raise NetworkError("bad_purpose", "purpose") from None
        startup = db.session.get(Organisation, data.startup_id) if data.startup_id else None
        if startup is None or startup.kind != OrganisationKind.STARTUP:
            raise NetworkError("unknown_startup", "startup_id")
        project = None
        if data.project_id:
            project = db.session.get(Project, data.project_id)
            if project is None or not may_see_project(Reader.of(person), project):
                raise NetworkError("unknown_project", "project_id")
            if project.visibility is Visibility.DRAFT:
                raise NetworkError("project_draft", "project_id")
        consortium = Consortium(title=title, description=description, purpose=purpose, startup=startup,
                                project=project, lead_city=city, cities=[city])
        db.session.add(consortium)
        db.session.flush()
        _tell(consortium, "network_consortium", sides.startup_people(startup), person, change="created")
        audit.record("network.consortium.create", actor_id=person.id, obj=consortium,
                     details={"city": city.id, "startup": startup.id})
    return consortium


def join(consortium_id: int, person: Person, city_id: int | None) -> Consortium:
    with atomic():
        consortium = get(consortium_id)
        city = _my_city(person, city_id)
        if consortium.status in (ConsortiumStatus.DONE, ConsortiumStatus.DISSOLVED):
            raise Conflict("consortium_closed")
        if city in consortium.cities:
            raise Conflict("already_member")
        consortium.cities.append(city)
        _tell(consortium, "network_consortium", _members_contacts(consortium), person, change="joined", city=city)
        audit.record("network.consortium.join", actor_id=person.id, obj=consortium, details={"city": city.id})
    return consortium


def leave(consortium_id: int, person: Person, city_id: int | None) -> Consortium:
    with atomic():
        consortium = get(consortium_id)
        city = _my_city(person, city_id)
        if consortium.status in (ConsortiumStatus.DONE, ConsortiumStatus.DISSOLVED):
            raise Conflict("consortium_closed")
        if city not in consortium.cities:
            raise Conflict("not_in_consortium")
        if city.id == consortium.lead_city_id:
            raise Conflict("lead_cannot_leave")
        consortium.cities.remove(city)
        _tell(consortium, "network_consortium", _members_contacts(consortium), person, change="left", city=city)
        audit.record("network.consortium.leave", actor_id=person.id, obj=consortium, details={"city": city.id})
    return consortium


def set_status(consortium_id: int, person: Person, status: str) -> Consortium:
    with atomic():
        consortium = get(consortium_id)
        try:
            target = ConsortiumStatus(status)
        except ValueError:
            raise NetworkError("bad_status", "status") from None
        if not may_act_for(person, consortium.lead_city):
            raise NotAllowed("not_lead")
        consortium.status = target
        _tell(consortium, "network_consortium", _members_contacts(consortium) + sides.startup_people(
            consortium.startup), person, change="status")
        audit.record("network.consortium.status", actor_id=person.id, obj=consortium,
                     details={"status": target.value})
    return consortium


def shown_project(person, consortium: Consortium) -> Project | None:
    """The project a consortium starts from, when the reader may see it (not a draft, not members-only for
    a visitor)."""
    project = consortium.project
    if project is None or project.visibility is Visibility.DRAFT or not may_see_project(Reader.of(person), project):
        return None
    return project


def may_lead(person, consortium: Consortium) -> bool:
    return may_act_for(person, consortium.lead_city)


def joinable_cities(person, consortium: Consortium):
    return [c for c in member_cities_of(person) if c not in consortium.cities]


def leavable_cities(person, consortium: Consortium):
    return [c for c in member_cities_of(person) if c in consortium.cities and c.id != consortium.lead_city_id]


def all_consortia() -> list[Consortium]:
    return list(db.session.scalars(select(Consortium).order_by(Consortium.created_at.desc(), Consortium.id.desc())))
