"""Load a realistic demo edition (`load_demo`): ~1,000 registrations from 11 countries, and its previous edition.

The plan comes from `planner.plan_demo` (seeded, no database); enrol.py writes it through the registration
services, without e-mails, committing in a few batches; previous.py adds the edition of the year before.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import RoleName
from app.auth.services import grant_role, normalise_email, set_password
from app.demo.api_tokens import load_api_tokens
from app.demo.webhooks import load_webhook
from app.demo.demonstrator import PLAN_SECONDS, load_demonstrator
from app.demo.enrol import DEMO_SOURCE, city_organisations, finish_people, register_all, set_capacities
from app.demo.enrol import make_delegations as _delegations
from app.demo.meetings import describe_meetings, load_meetings
from app.demo.network import contact_login, describe_network, load_network
from app.demo.placement import load_placement
from app.demo.planner import plan_demo
from app.demo.previous import PREVIOUS_EDITION, UPCOMING_SLUG, describe_previous, load_previous, previous_slug
from app.demo.privacy import load_privacy
from app.privacy.subject.people import ERASED_DOMAIN
from app.demo.program import load_program
from app.events.models import Category, CategoryCode, Event, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db
from app.people.models import Person
from app.registrations.models import Delegation, Registration

DEFAULT_SEED = 2018
DEFAULT_SLUG = UPCOMING_SLUG
ORGANISER_EMAIL = "organisation@mediane.demo"
#: A volunteer at the door: checks people in and sees the arrivals, nothing else.
DOOR_EMAIL = "porte@mediane.demo"
SLUG_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

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
    previous: str = ""  # the previous edition (previous.py) in a line, when there is one
    api_token: str = ""  # the secret of the city CRM's API token (registrations:read), when it was just made
    network: str = ""  # the network between summits (network.py) in a line
    network_contact: str = ""  # a city contact's login (same password as the organiser's), when it was just set
    meetings: str = ""  # meetings on request (meetings.py) in a line
    privacy: str = ""  # a person's export and an erased person (privacy.py) in a line

    @property
    def num_registrations(self) -> int:
        return sum(self.by_category.values())


def load_demo(seed: int = DEFAULT_SEED, slug: str = DEFAULT_SLUG, *, reset: bool = False,
              password: str | None = None, organiser_email: str = ORGANISER_EMAIL,
              plan_seconds: float = PLAN_SECONDS) -> DemoSummary:
    """Create the demo edition `slug` from `seed`, or leave an existing one alone unless `reset`.

    The edition comes with its previous one (previous.py: June 2026, over, many of the same people), made
    and reset along with it, and then the network between summits (network.py: its cities are the editions'),
    whose demo rows are made again on every load. Commits. Raises DemoError('bad_slug') on a malformed slug, DemoError('not_a_demo')
    when it would delete an edition with registrations that the demo did not make (the slug in its params);
    AuthError on a weak password.
    """
    if not SLUG_PATTERN.fullmatch(slug or "") or len(slug) > 80:
        raise DemoError("bad_slug", slug=slug)
    started = time.perf_counter()
    existing = db.session.scalar(select(Event).where(Event.slug == slug))
    before = db.session.scalar(select(Event).where(Event.slug == previous_slug(slug)))
    if existing is not None and not reset:
        summary = describe_edition(existing, created=False, organiser_email=normalise_email(organiser_email))
        summary.is_demo = is_demo_edition(existing)
        if summary.is_demo and password:  # the demo's door account gets the password of this start too
            summary.door_email = _door_staff(existing, password).email
            summary.network_contact = contact_login(password).email
            db.session.commit()
        if summary.is_demo:
            summary.meetings = describe_meetings(existing).line()
        if summary.is_demo and before is not None and is_demo_edition(before):
            summary.previous = describe_previous(before)
            summary.network = describe_network().line()
        return summary
    for edition in (existing, before):
        if edition is not None and not is_demo_edition(edition):
            raise DemoError("not_a_demo", slug=edition.slug)
    for edition in (existing, before):  # a previous edition left without its upcoming one is remade too
        if edition is not None:
            delete_edition(edition)

    organiser, password = _organiser(normalise_email(organiser_email), password)
    event = create_event(EventInput(slug=slug, **EDITION), actor_id=organiser.id, organiser_id=organiser.id)

    plan = plan_demo(seed, event.days, [t.code for t in event.themes])
    try:
        city_organisations(plan)
        register_all(event, plan, actor_id=organiser.id)
        finish_people(event, plan, actor_id=organiser.id)
        _delegations(event, plan, actor_id=organiser.id)
        set_capacities(event)
        db.session.commit()
        load_program(event, seed, actor_id=organiser.id)
        # The routes are computed once the meetings are known: the meetings at the stands are visits of them.
        demonstrator = load_demonstrator(event, seed, actor_id=organiser.id, plan_seconds=0)
        meetings = load_meetings(event, seed, organiser_id=organiser.id)
        routes, placed = load_placement(event, seed, plan_seconds=plan_seconds, organiser_id=organiser.id)
        door = _door_staff(event, password)
        db.session.commit()
        api_token = load_api_tokens(event, organiser_id=organiser.id)
        load_webhook(event, organiser_id=organiser.id)
        db.session.commit()
        previous = load_previous(previous_slug(slug), seed, plan, actor_id=organiser.id, door_id=door.id)
        before = db.session.scalar(select(Event).where(Event.slug == previous_slug(slug)))
        network = load_network(seed, upcoming=event, previous=before, organiser_id=organiser.id)
        contact = contact_login(password)
        db.session.commit()
        privacy = load_privacy(event, before, contact=contact, organiser_id=organiser.id)
    except Exception:
        # Batches were committed: remove the half-loaded editions so that a re-run starts afresh.
        db.session.rollback()
        for half in db.session.scalars(select(Event).where(Event.slug.in_([slug, previous_slug(slug)]))).all():
            delete_edition(half)
        raise

    summary = describe_edition(event, created=True, organiser_email=organiser.email)
    summary.password = password
    summary.demonstrator = "; ".join(part for part in (demonstrator, routes) if part)
    summary.door_email = door.email
    summary.api_token = api_token
    summary.previous = previous
    summary.network = network.line()
    summary.network_contact = contact.email
    summary.privacy = privacy
    summary.meetings = "; ".join(part for part in (meetings.line(), placed) if part)
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
    return event.description in (EDITION["description"], PREVIOUS_EDITION["description"])


def delete_edition(event: Event) -> None:
    """Delete an edition and its registrations; people and organisations stay. Commits."""
    event_id = event.id
    db.session.execute(delete(Registration).where(Registration.event_id == event_id))
    db.session.execute(delete(AuditEntry).where(AuditEntry.event_id == event_id))
    db.session.execute(delete(Event).where(Event.id == event_id))  # the database cascades the rest
    audit.record("event.delete", actor_id=None, details={"slug": event.slug, "reason": "demo_reset"})
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


def describe_edition(event: Event, *, created: bool = False, organiser_email: str = ORGANISER_EMAIL) -> DemoSummary:
    """Counts and a fingerprint of the registrations of `event` (same data, same fingerprint)."""
    rows = db.session.execute(
        select(Person.email, Category.code, Registration.status, Delegation.name, Registration.protocol_rank)
        .join(Person, Registration.person_id == Person.id)
        .join(Category, Registration.category_id == Category.id)
        .outerjoin(Delegation, Registration.delegation_id == Delegation.id)
        .where(Registration.event_id == event.id)
    ).all()
    # An erased person's address is a new one of no one at each erasure (the demo erases one): counted as erased.
    lines = sorted("|".join(str(v) for v in ("[erased]" if row[0].endswith(ERASED_DOMAIN) else row[0], *row[1:]))
                   for row in rows)
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
