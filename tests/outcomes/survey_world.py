"""A small edition for the survey tests: two stands, a mayor, a decision maker and a visitor, met by scans."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.events.models import CategoryCode, Event
from app.extensions import db
from app.leads.models import Lead
from app.mail.models import OutboxMessage
from app.registrations.models import Registration
from app.registrations.services import approve

LINK = re.compile(r"(https?://\S+)/survey/(s_[A-Za-z0-9_-]{43})(/unsubscribe)?")


@dataclass
class World:
    event: Event
    stand: Registration          # met the mayor, the decision maker and the visitor
    idle_stand: Registration     # met nobody
    mayor: Registration          # French
    decider: Registration        # English
    visitor: Registration


def meet(event: Event, stand: Registration, person: Registration, at: datetime) -> Lead:
    lead = Lead(event_id=event.id, stand_id=stand.id, registration_id=person.id, first_scanned_at=at,
                last_scanned_at=at, num_scans=1)
    db.session.add(lead)
    db.session.commit()
    return lead


def build_world(event: Event, make_registration) -> World:
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan",
                              first_name="Théo", last_name="Lambert", email="theo@capteurs.example")
    idle = make_registration(event, CategoryCode.STARTUP, organisation_name="Lumière Douce", email="idle@lumiere.example")
    mayor = make_registration(event, CategoryCode.ELU, territory="Nevers", first_name="Anne", last_name="Morel",
                              email="anne.morel@nevers.example", locale="fr")
    decider = make_registration(event, CategoryCode.DECIDEUR, organisation_name="Bourges Plus", first_name="Sam",
                                last_name="Taylor", email="sam@bourges.example", locale="en")
    visitor = make_registration(event, CategoryCode.VISITEUR, email="visitor@example.org")
    approve(event, [r.id for r in (stand, idle, mayor, decider, visitor)], actor_id=None)
    db.session.commit()
    day = datetime.combine(event.starts_on, datetime.min.time()).replace(hour=9)
    for n, person in enumerate((mayor, decider, visitor)):
        meet(event, stand, person, day.replace(minute=10 * n))
    return World(event, stand, idle, mayor, decider, visitor)


def survey_mails(recipient: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == "outcome_survey").order_by(OutboxMessage.id)
    if recipient is not None:
        query = query.where(OutboxMessage.recipient == recipient)
    return list(db.session.scalars(query))


def survey_path(recipient: str) -> str:
    """The path of the survey link in the latest survey mail to `recipient`."""
    found = LINK.search(survey_mails(recipient)[-1].body)
    assert found, "no survey link in the mail"
    return f"/survey/{found.group(2)}"
