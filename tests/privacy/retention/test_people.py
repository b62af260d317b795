"""People not seen for RETENTION_PEOPLE_YEARS (3) years: who is past the boundary, and their erasure through the
subject's erasure (app.privacy.subject.erasure.erase_person)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import update

from app.auth.models import RoleName
from app.auth.services import grant_role
from app.extensions import db
from app.network.models import NetworkCity, NetworkOrganiser
from app.people.models import Organisation, OrganisationKind, Person
from app.privacy.retention import people
from app.privacy.retention.people import PastPerson, people_past
from app.privacy.retention.purge import purge
from tests.privacy.retention.test_dated import NOW, _purges

LONG_AGO = datetime(2019, 1, 15, 9, 0)


@pytest.fixture
def world(make_event, make_registration, make_person):
    """Editions that ended the day before the boundary (2023-06-10), on it, and since; people on each side."""
    def edition(slug: str, ends_on: date):
        return make_event(slug=slug, name=f"Sommet {slug}", starts_on=ends_on, ends_on=ends_on)

    before, on_it, recent = (edition("sommet-2023a", date(2023, 6, 9)), edition("sommet-2023b", date(2023, 6, 10)),
                             edition("sommet-2025", date(2025, 6, 4)))
    named = {}

    def registered(name: str, *editions) -> Person:
        registration = make_registration(editions[0], first_name=name, email=f"{name.lower()}@example.org")
        for other in editions[1:]:
            make_registration(other, first_name=name, email=f"{name.lower()}@example.org")
        named[name] = registration.person
        return registration.person

    registered("Alice", before)                     # her only edition ended the day before the boundary: past
    registered("Bruno", on_it)                      # his ended exactly on it: kept
    registered("Chloé", before, recent)             # came back since: kept
    registered("Hugo", before).is_staff = True      # platform staff: kept
    registered("Inès", before)                      # a network organiser: kept
    registered("Jules", before)                     # a member city's official contact: kept
    registered("Karim", before).last_login_at = datetime(2024, 2, 1, 8, 0)  # logged in since: kept
    named["Fanny"] = make_person("fanny@example.org", first_name="Fanny")  # organiser of the recent edition
    grant_role(named["Fanny"], recent.id, RoleName.ORGANISER, actor_id=None)
    named["Gaspard"] = make_person("gaspard@example.org", first_name="Gaspard")  # no edition, never logged in
    named["Léon"] = make_person("leon@example.org", first_name="Léon", last_login_at=datetime(2023, 6, 10, 0, 0))
    db.session.add(NetworkOrganiser(person_id=named["Inès"].id))
    city = Organisation(name="Ville de Nevers", kind=OrganisationKind.COLLECTIVITE)
    db.session.add(city)
    db.session.flush()
    db.session.add(NetworkCity(organisation_id=city.id, official_contact_id=named["Jules"].id))
    db.session.flush()
    # every account was created long ago (the registrations above created them today)
    db.session.execute(update(Person).values(created_at=LONG_AGO))
    db.session.commit()
    return named


def test_the_people_past_the_boundary_are_those_whose_last_sign_is_older(world):
    past = people_past(NOW, 3)
    assert past == [PastPerson(world["Alice"].id, date(2023, 6, 9)),
                    PastPerson(world["Gaspard"].id, LONG_AGO.date())]


def test_a_recent_account_is_a_sign_too(world):
    db.session.execute(update(Person).where(Person.id == world["Gaspard"].id)
                       .values(created_at=datetime(2023, 6, 10, 0, 0)))  # created on the boundary's day: kept
    db.session.commit()
    assert [p.person_id for p in people_past(NOW, 3)] == [world["Alice"].id]
    # two years: the boundary is 2024-06-10, before Karim's last login too
    assert [p.person_id for p in people_past(NOW, 2)] == [world[name].id for name in
                                                          ("Alice", "Bruno", "Karim", "Gaspard", "Léon")]


def test_a_dry_run_counts_them_and_erases_nobody(app, world):
    assert purge(now=NOW, config=app.config, kinds=["people"], dry_run=True)[0].counts == {"people": 2}
    db.session.commit()
    assert db.session.get(Person, world["Alice"].id).email == "alice@example.org"
    assert _purges() == []


def test_the_purge_hands_each_person_past_the_boundary_to_the_erasure(app, world, monkeypatch):
    calls = []

    def erase_person(person_id: int, *, actor_id: int | None, reason: str, now=None) -> dict[str, int]:
        calls.append((person_id, actor_id, reason, now))
        return {"registrations": 1, "badges": 2}

    monkeypatch.setattr(people, "erase_person", erase_person)
    [outcome] = purge(now=NOW, config=app.config, kinds=["people"])
    db.session.commit()

    assert calls == [(world["Alice"].id, None, "retention", NOW), (world["Gaspard"].id, None, "retention", NOW)]
    assert outcome.counts == {"people": 2, "registrations": 2, "badges": 4}
    [entry] = _purges()
    assert entry.details["counts"] == {"people": 2, "registrations": 2, "badges": 4}
    assert entry.details["kept"] == "3 years" and entry.details["before"] == "2023-06-10"


def test_the_real_erasure_leaves_nothing_of_the_people_past_the_boundary(app, world):
    alice, bruno = world["Alice"].id, world["Bruno"].id
    [outcome] = purge(now=NOW, config=app.config, kinds=["people"])
    db.session.commit()
    assert outcome.counts["people"] == 2
    gone = db.session.get(Person, alice)
    assert gone is None or gone.email != "alice@example.org"
    assert db.session.get(Person, bruno).email == "bruno@example.org"
    assert people_past(NOW, 3) == []
