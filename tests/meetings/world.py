"""A small edition with meeting requests open: startups and companies may ask officials and decision makers, officials
may ask startups. A mayor coordinates the delegation of Nevers (her deputy and a director come along); a startup,
a company, a visitor and an official who keeps out of the list of attendees."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func, select

from app.auth.services import set_password
from app.events.models import Category, CategoryCode, Event
from app.extensions import db
from app.mail.models import OutboxMessage
from app.meetings.requests import settings as meeting_settings
from app.meetings.requests.models import MeetingRequest
from app.registrations.delegations import create_delegation, set_members
from app.registrations.models import Mandate, Registration
from app.registrations.services import approve
from tests.conftest import TEST_PASSWORD, login

#: (from, to) category codes of the edition's pairs.
PAIRS = [("startup", "elu"), ("startup", "decideur"), ("entreprise", "elu"), ("entreprise", "decideur"),
         ("elu", "startup")]


@dataclass
class World:
    event: Event
    mayor: Registration       # coordinates the delegation of Nevers
    deputy: Registration      # member of the delegation
    director: Registration    # decision maker, member of the delegation
    startup: Registration
    company: Registration
    visitor: Registration
    hidden: Registration      # an official who does not appear in the list of attendees
    other_startup: Registration


def category_ids(event: Event) -> dict[str, int]:
    return {c.code.value: c.id for c in db.session.scalars(select(Category).where(Category.event_id == event.id))}


def open_requests(event: Event, *, acceptance: str = "needs_acceptance", expiry_days: int = 7, is_open: bool = True):
    ids = category_ids(event)
    meeting_settings.save_settings(event, meeting_settings.SettingsInput(
        is_open=is_open, acceptance=acceptance, slot_minutes=20, max_per_session=6, expiry_days=expiry_days,
        tables="25", pairs=tuple((ids[a], ids[b]) for a, b in PAIRS)), actor_id=None)
    meeting_settings.add_session(event, event.starts_on, time(14), time(17), actor_id=None)


def build(event: Event, make_registration, **settings) -> World:
    def person(category, first, last, **fields):
        fields.setdefault("consent_directory", True)
        return make_registration(event, category, first_name=first, last_name=last, **fields)

    mayor = person(CategoryCode.ELU, "Marie", "Lefèvre", organisation_name="Ville de Nevers", territory="Nevers",
                   mandate=Mandate.MAIRE, email="maire@nevers.fr")
    deputy = person(CategoryCode.ELU, "Paul", "Girard", organisation_name="Ville de Nevers", territory="Nevers",
                    mandate=Mandate.MAIRE_ADJOINT)
    director = person(CategoryCode.DECIDEUR, "Inès", "Moreau", organisation_name="Ville de Nevers",
                      job_title="Directrice générale des services")
    startup = person(CategoryCode.STARTUP, "Sam", "Leroy", organisation_name="Capteurs du Morvan",
                     email="sam@capteurs.fr", locale="en")
    other_startup = person(CategoryCode.STARTUP, "Zoé", "Blanc", organisation_name="Lumière Douce")
    company = person(CategoryCode.ENTREPRISE, "Hugo", "Petit", organisation_name="Énergies Réunies")
    visitor = person(CategoryCode.VISITEUR, "Léo", "Roux")
    hidden = person(CategoryCode.ELU, "Anne", "Discrète", territory="Cosne", mandate=Mandate.MAIRE,
                    consent_directory=False)
    everyone = [mayor, deputy, director, startup, other_startup, company, visitor, hidden]
    approve(event, [r.id for r in everyone], actor_id=None)
    delegation = create_delegation(event, "Ville de Nevers", actor_id=None)
    set_members(event, delegation, [mayor.id, deputy.id, director.id], mayor.id, actor_id=None)
    for registration in everyone:
        set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    open_requests(event, **settings)
    return World(event, mayor, deputy, director, startup, company, visitor, hidden, other_startup)


def client_of(app, registration: Registration):
    client = app.test_client()
    login(client, registration.person)
    return client


def only_request() -> MeetingRequest:
    """The first request made (by id: PostgreSQL returns unordered rows in whatever order its pages hold them)."""
    return db.session.scalar(select(MeetingRequest).order_by(MeetingRequest.id).limit(1))


def at(day, hour: int = 10) -> datetime:
    """A naive UTC moment (what the services take as `now`)."""
    return datetime.combine(day, time(hour))


def ask(app, world, requester, recipient, **data):
    client = client_of(app, requester)
    data.setdefault("reason", "discover")
    data.setdefault("message", "Nous aimerions vous présenter nos capteurs.")
    return client, client.submit(f"/e/{world.event.slug}/meetings/request/{recipient.id}", data)


def num_requests() -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingRequest))


def mails_to(email=None):
    """The meeting notices (to `email`), oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.kind == "meeting_request").order_by(OutboxMessage.id)
    return db.session.scalars(query.where(OutboxMessage.recipient == email) if email else query).all()
