"""A small edition for the report: the demonstrator's world (four startups on stands, five officials of whom two
walk as a delegation, tour slots) with officials of several cities and countries, and an organiser."""
from dataclasses import dataclass, field
from datetime import date

import pytest

from app.events.models import CategoryCode
from app.extensions import db
from app.outcomes.models import OutcomeKind, OutcomeSide, OutcomeStatus
from app.outcomes.services import OutcomeInput, city_organisation, record_outcome
from tests.conftest import login
from tests.demonstrator.conftest import World, confirm, world  # noqa: F401  (a fixture)
from tests.demonstrator.test_realised import add_scan, person_of, published  # noqa: F401  (a fixture)

#: Officials of other cities (and countries), on the city side of outcomes.
CITIES = [("Bourges", "FR"), ("Namur", "BE"), ("Sherbrooke", "CA"), ("=HYPERLINK(\"http://x\")", "FR")]


@dataclass
class Edition:
    world: World
    cities: list = field(default_factory=list)     # the officials of CITIES, one each
    visitor: object = None                         # a visitor, not an official

    @property
    def event(self):
        return self.world.event

    @property
    def startups(self):
        return self.world.startups

    @property
    def city_side(self):
        """Every official, the world's and the cities'."""
        return self.world.officials + self.cities


@pytest.fixture
def edition(world, make_registration) -> Edition:  # noqa: F811
    found = Edition(world)
    for name, country in CITIES:
        found.cities.append(confirm(make_registration(world.event, CategoryCode.DECIDEUR, organisation_name=name,
                                                      country=country, days=[world.event.starts_on])))
    found.visitor = confirm(make_registration(world.event, CategoryCode.VISITEUR))
    return found


def add_outcome(event, startup, official, kind: OutcomeKind = OutcomeKind.PILOT,
                status: OutcomeStatus = OutcomeStatus.PLANNED, on: date | None = None, amount: int | None = None):
    outcome = record_outcome(event, OutcomeInput(kind, status, on or event.starts_on, amount=amount),
                             stand=startup, registration=official, actor_id=None, side=OutcomeSide.STARTUP)
    db.session.commit()
    return outcome


def city_of(official):
    return city_organisation(official)


@pytest.fixture
def organiser_client(client, world, make_organiser):  # noqa: F811
    login(client, make_organiser(world.event))
    return client


@pytest.fixture
def summit(edition, published):  # noqa: F811
    """The edition with its plan published, two visits realised, one scan outside the plan, three outcomes."""
    _plan, visits = published
    for visit in visits[:2]:
        add_scan(edition.event, visit.startup_id, person_of(edition.world, visit), visit.starts_at)
    add_scan(edition.event, edition.startups[3].id, edition.cities[1].id, visits[0].starts_at)
    add_outcome(edition.event, edition.startups[0], edition.cities[0], OutcomeKind.PILOT, OutcomeStatus.IN_PROGRESS)
    add_outcome(edition.event, edition.startups[1], edition.cities[0], OutcomeKind.CONTRACT, OutcomeStatus.DONE,
                amount=120000)
    add_outcome(edition.event, edition.startups[0], edition.cities[1], OutcomeKind.DEMO, OutcomeStatus.DONE)
    return edition, visits
