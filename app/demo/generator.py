"""Load a realistic demo edition (`load_demo`): ~1,000 registrations from 11 countries.

The plan comes from `planner.plan_demo` (seeded, no database); this module writes it through
the registration services, without e-mails, committing in a few batches.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import EventRole, RoleName
from app.auth.services import grant_role, normalise_email, set_password
from app.core.french import de
from app.core.transaction import atomic
from app.demo import data
from app.demo.planner import Detail, Lead, Plan, city_organisation_name, plan_demo
from app.demo.demonstrator import PLAN_SECONDS, load_demonstrator
from app.demo.program import load_program
from app.events.models import Category, CategoryCode, Event, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations import delegations
from app.registrations.models import Delegation, Registration, RegistrationStatus
from app.registrations.services import register

DEFAULT_SEED = 2018
DEFAULT_SLUG = "sommet-nevers-2027"
ORGANISER_EMAIL = "organisation@mediane.demo"
#: A volunteer at the door: checks people in and sees the arrivals, nothing else.
DOOR_EMAIL = "porte@mediane.demo"
#: `Registration.source` of every demo registration.
DEMO_SOURCE = "demo"
SLUG_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
#: Registrations written in one unit of work (each commit expires the session, which costs a reload).
BATCH_SIZE = 500

EDITION = dict(
    name="Sommet de l'innovation des villes moyennes — Nevers 2027", city="Nevers", country="FR",
    venue="Maison de la Culture de Nevers", timezone="Europe/Paris", starts_on=date(2027, 6, 2),
    ends_on=date(2027, 6, 4), languages="fr,en", status=EventStatus.OPEN,
    description="Trois jours de rencontres entre élus, décideurs et startups des villes moyennes francophones : "
                "conférences, ateliers et démonstrateur de solutions urbaines.",
    name_en="Mid-sized Cities Innovation Summit — Nevers 2027",
    description_en="Three days of meetings between elected officials, decision makers and startups of French-speaking "
                   "mid-sized cities: talks, workshops and a demonstrator of urban solutions.",
)


class DemoError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class DemoSummary:
    slug: str
    event_id: int
    created: bool  # False: the edition was already there and nothing changed
    organiser_email: str
    password: str | None = None  # only when just set
    is_demo: bool = True  # False: an edition with this slug exists that the demo did not make
    seconds: float = 0.0
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)  # the 11 countries, Québec apart
    num_startups: int = 0
    num_delegations: int = 0
    fingerprint: str = ""  # changes with any e-mail, category, status or delegation
    demonstrator: str = ""  # stands and the published plan, in a line
    door_email: str = ""  # the door staff's login (same password as the organiser's), when it was just set

    @property
    def num_registrations(self) -> int:
        return sum(self.by_category.values())


def load_demo(seed: int = DEFAULT_SEED, slug: str = DEFAULT_SLUG, *, reset: bool = False,
              password: str | None = None, organiser_email: str = ORGANISER_EMAIL,
              plan_seconds: float = PLAN_SECONDS) -> DemoSummary:
    """Create the demo edition `slug` from `seed`, or leave an existing one alone unless `reset`.

    Commits. Raises DemoError('bad_slug') on a malformed slug, DemoError('not_a_demo') when `reset`
    would delete an edition with registrations that the demo did not make; AuthError on a weak password.
    """
    if not SLUG_PATTERN.fullmatch(slug or "") or len(slug) > 80:
        raise DemoError("bad_slug", slug=slug)
    started = time.perf_counter()
    existing = db.session.scalar(select(Event).where(Event.slug == slug))
    if existing is not None and not reset:
        summary = describe_edition(existing, created=False, organiser_email=normalise_email(organiser_email))
        summary.is_demo = is_demo_edition(existing)
        if summary.is_demo and password:  # the demo's door account gets the password of this start too
            summary.door_email = _door_staff(existing, password).email
            db.session.commit()
        return summary
    if existing is not None:
        if not is_demo_edition(existing):
            raise DemoError("not_a_demo", slug=slug)
        delete_edition(existing)

    organiser, password = _organiser(normalise_email(organiser_email), password)
    event = create_event(EventInput(slug=slug, **EDITION), actor_id=organiser.id, organiser_id=organiser.id)

    plan = plan_demo(seed, event.days, [t.code for t in event.themes])
    try:
        _city_organisations(plan)
        _register_all(event, plan, actor_id=organiser.id)
        _finish_people(event, plan, actor_id=organiser.id)
        _delegations(event, plan, actor_id=organiser.id)
        _set_capacities(event)
        db.session.commit()
        load_program(event, seed, actor_id=organiser.id)
        demonstrator = load_demonstrator(event, seed, actor_id=organiser.id, plan_seconds=plan_seconds)
        door = _door_staff(event, password)
        db.session.commit()
    except Exception:
        # Batches were committed: remove the half-loaded edition so that a re-run starts afresh.
        db.session.rollback()
        delete_edition(db.session.get(Event, event.id))
        raise

    summary = describe_edition(event, created=True, organiser_email=organiser.email)
    summary.password = password
    summary.demonstrator = demonstrator
    summary.door_email = door.email
    summary.by_country = dict(Counter(d.country for d in plan.details.values()).most_common())
    summary.seconds = time.perf_counter() - started
    return summary


def is_demo_edition(event: Event) -> bool:
    """True when the demo made all the registrations of `event` (a real edition is never reset).

    An edition without registrations counts as a demo only if it still has the demo's description.
    """
    sources = set(db.session.scalars(select(Registration.source).where(Registration.event_id == event.id)
                                     .group_by(Registration.source)))
    if sources:
        return sources == {DEMO_SOURCE}
    return event.description == EDITION["description"]


def delete_edition(event: Event) -> None:
    """Delete an edition and its registrations; people and organisations stay. Commits."""
    event_id = event.id
    db.session.execute(delete(Registration).where(Registration.event_id == event_id))
    db.session.execute(delete(AuditEntry).where(AuditEntry.event_id == event_id))
    db.session.execute(delete(Event).where(Event.id == event_id))  # the database cascades the rest
    audit.record("event.delete", actor_id=None, details={"slug": event.slug, "reason": "demo reset"})
    db.session.commit()
    db.session.expire_all()


def _organiser(email: str, password: str | None) -> tuple[Person, str]:
    password = password or secrets.token_urlsafe(12)
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(email=email, first_name="Équipe", last_name="Organisation", job_title="Organisatrice")
        db.session.add(person)
    set_password(person, password)
    person.is_staff = True
    person.is_enabled = True
    db.session.flush()
    return person, password


def _door_staff(event: Event, password: str) -> Person:
    """The demo's door volunteer: door staff of `event` only, with `password`."""
    person = db.session.scalar(select(Person).where(Person.email == DOOR_EMAIL))
    if person is None:
        person = Person(email=DOOR_EMAIL, first_name="Camille", last_name="Accueil", job_title="Bénévole à l'accueil")
        db.session.add(person)
    set_password(person, password)
    person.is_enabled = True
    db.session.flush()
    grant_role(person, event.id, RoleName.DOOR_STAFF, actor_id=None)
    return person


def _city_organisations(plan: Plan) -> None:
    """One organisation per city (kind collectivite, with its population), found by register()."""
    cities = {lead.city.name: lead.city for lead in plan.leads if lead.city is not None}
    names = {city_organisation_name(c): c for c in cities.values()}
    known = set(db.session.scalars(select(Organisation.name).where(
        Organisation.kind == OrganisationKind.COLLECTIVITE, Organisation.name.in_(names))))
    for name, city in names.items():
        if name not in known:
            db.session.add(Organisation(
                name=name, kind=OrganisationKind.COLLECTIVITE, country=data.COUNTRIES[city.country].code,
                city=city.name, territory=city.region, population=city.population))
    db.session.flush()


def _register_all(event: Event, plan: Plan, *, actor_id: int) -> None:
    """Register every lead (teams come along), with the status the plan gives, and no e-mail."""
    for start in range(0, len(plan.leads), BATCH_SIZE):
        with atomic():  # register() joins it: one commit per batch, not one per registration
            for lead in plan.leads[start:start + BATCH_SIZE]:
                # register() flushes each person itself; autoflushing before its look-ups too only costs time.
                with db.session.no_autoflush:
                    register(event, lead.data, source=DEMO_SOURCE, actor_id=actor_id, notify=False,
                             status=lead.status)


def _finish_people(event: Event, plan: Plan, *, actor_id: int) -> None:
    """Spread the dates over the registration period; phones of team members; city staff; exhibitors."""
    city_orgs = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.COLLECTIVITE))}
    lead_of = {lead.data.email: lead for lead in plan.leads}
    # Newer register() grants a confirmed startup's staff their role itself; grant only what is missing.
    exhibitors = set(db.session.scalars(select(EventRole.person_id).where(
        EventRole.event_id == event.id, EventRole.role == RoleName.EXHIBITOR)))
    rows = db.session.execute(
        select(Registration, Person).join(Person, Registration.person_id == Person.id)
        .where(Registration.event_id == event.id)
    ).all()
    with db.session.no_autoflush:  # one flush at the commit below, not one per lazy load
        for registration, person in rows:
            _finish_one(event, registration, person, plan.details[person.email], lead_of.get(person.email),
                        city_orgs, exhibitors)
    audit.record("role.grant", actor_id=actor_id, event_id=event.id,
                 details={"role": RoleName.EXHIBITOR.value, "people": sorted(exhibitors), "source": "demo"})
    db.session.commit()


def _finish_one(event: Event, registration: Registration, person: Person, detail: Detail, lead: Lead | None,
                city_orgs: dict[str, Organisation], exhibitors: set[int]) -> None:
    at = detail.created_at
    person.created_at = at
    person.phone = detail.phone
    if detail.team_job_title:
        person.job_title = registration.job_title = detail.team_job_title
    registration.created_at = registration.updated_at = registration.consent_updated_at = at
    if registration.status == RegistrationStatus.CONFIRMED:
        needs_approval = registration.category.requires_approval
        registration.confirmed_at = at + (timedelta(days=(at.day % 5) + 1) if needs_approval else timedelta())
    elif registration.status == RegistrationStatus.CANCELLED:
        registration.cancel_reason = "cancelled"
        registration.cancelled_at = registration.updated_at = at + timedelta(days=(at.minute % 20) + 3)
    if lead is not None and lead.city is not None and lead.data.category == CategoryCode.DECIDEUR:
        # register() files a décideur under an institution; a city's staff belong to the city itself.
        registration.organisation = person.organisation = city_orgs[city_organisation_name(lead.city)]
    if detail.is_exhibitor and registration.status == RegistrationStatus.CONFIRMED and person.id not in exhibitors:
        # Only accepted startups hold a stand; `exhibitors` spares grant_role's lookup per person.
        db.session.add(EventRole(event_id=event.id, person_id=person.id, role=RoleName.EXHIBITOR,
                                 organisation_id=registration.organisation_id))
        exhibitors.add(person.id)


def _delegations(event: Event, plan: Plan, *, actor_id: int) -> None:
    """One delegation per city of the plan, members in protocol order (the head of the delegation first)."""
    ids = {email: (registration_id, organisation_id) for email, registration_id, organisation_id in db.session.execute(
        select(Person.email, Registration.id, Registration.organisation_id).join(Person)
        .where(Registration.event_id == event.id))}
    by_city: dict[str, list[Lead]] = {}
    for lead in plan.leads:
        if lead.delegation:
            by_city.setdefault(lead.delegation, []).append(lead)
    with atomic():  # the delegation services join it: one commit for them all
        for city_name, members in by_city.items():
            members.sort(key=lambda lead: lead.protocol)  # stable: the head of the delegation stays first
            delegation = delegations.create_delegation(event, f"Délégation {de(city_name)}", actor_id=actor_id,
                                                       organisation_id=ids[members[0].data.email][1])
            coordinator = next(ids[m.data.email][0] for m in members if m.is_coordinator)
            delegations.set_members(event, delegation, [ids[m.data.email][0] for m in members], coordinator,
                                    actor_id=actor_id)


def _set_capacities(event: Event) -> None:
    """Cap the categories that have a waiting list at their active registrations, so it makes sense."""
    for category in event.categories:
        counts = dict(db.session.execute(
            select(Registration.status, func.count()).where(Registration.category_id == category.id)
            .group_by(Registration.status)).all())
        if counts.get(RegistrationStatus.WAITLISTED):
            category.capacity = counts.get(RegistrationStatus.CONFIRMED, 0) + counts.get(RegistrationStatus.PENDING, 0)


def describe_edition(event: Event, *, created: bool = False, organiser_email: str = ORGANISER_EMAIL) -> DemoSummary:
    """Counts and a fingerprint of the registrations of `event` (same data, same fingerprint)."""
    rows = db.session.execute(
        select(Person.email, Category.code, Registration.status, Delegation.name, Registration.protocol_rank)
        .join(Person, Registration.person_id == Person.id)
        .join(Category, Registration.category_id == Category.id)
        .outerjoin(Delegation, Registration.delegation_id == Delegation.id)
        .where(Registration.event_id == event.id)
    ).all()
    lines = sorted("|".join(str(v) for v in row) for row in rows)
    return DemoSummary(
        slug=event.slug, event_id=event.id, created=created, organiser_email=organiser_email,
        by_category=dict(Counter(row[1].value for row in rows).most_common()),
        by_status=dict(Counter(row[2].value for row in rows).most_common()),
        num_startups=len({r for r in db.session.scalars(
            select(Registration.organisation_id).join(Category).where(
                Registration.event_id == event.id, Category.code == CategoryCode.STARTUP))}),
        num_delegations=db.session.scalar(select(func.count()).select_from(Delegation)
                                          .where(Delegation.event_id == event.id)),
        fingerprint=hashlib.sha256("\n".join(lines).encode()).hexdigest(),
    )
