"""A small demonstrator: an edition with stands held by startups, officials, a delegation and tour slots."""
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations import delegations
from app.registrations.models import Registration, RegistrationStatus


def utc(day, hhmm: str) -> datetime:
    """Local Paris time in June (UTC+2) to naive UTC."""
    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h - 2, m)


@dataclass
class World:
    event: object
    startups: list = field(default_factory=list)
    stands: list = field(default_factory=list)
    officials: list = field(default_factory=list)
    delegation: object = None


def confirm(registration: Registration) -> Registration:
    registration.status = RegistrationStatus.CONFIRMED
    db.session.commit()
    return registration


@pytest.fixture
def world(event, make_registration) -> World:
    """Four startups on four stands for the whole first day, three officials alone and a delegation of two,
    tours 10:00-12:00 and 14:00-16:00 on day 1."""
    day = event.starts_on
    themes = ["mobilite", "energie", "donnees-numerique", "sante"]
    w = World(event)
    for i, theme in enumerate(themes):
        w.startups.append(confirm(make_registration(event, CategoryCode.STARTUP, theme_codes=[theme],
                                                    organisation_name=f"Startup {theme}")))
    for i, startup in enumerate(w.startups):
        stand = hall_services.save_stand(event, hall_services.StandInput(f"A{i + 1}", x=5 + 8 * i, y=10), actor_id=None)
        hall_calendar.book_stand(event, stand, startup, utc(day, "08:00"), utc(day, "18:00"), actor_id=None)
        w.stands.append(stand)
    for i in range(5):
        w.officials.append(confirm(make_registration(event, CategoryCode.ELU, theme_codes=themes[i % 4: i % 4 + 2],
                                                     days=[day])))
    w.delegation = delegations.create_delegation(event, "Délégation de Bourges", actor_id=None)
    delegations.set_members(event, w.delegation, [w.officials[3].id, w.officials[4].id], w.officials[3].id,
                            actor_id=None)
    hall_calendar.add_tour_slot(event, utc(day, "10:00"), utc(day, "12:00"), "Matin", actor_id=None)
    hall_calendar.add_tour_slot(event, utc(day, "14:00"), utc(day, "16:00"), "Après-midi", actor_id=None)
    db.session.commit()
    return w
