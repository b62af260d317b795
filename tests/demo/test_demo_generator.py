"""load_demo: the demo edition in the database, and loading it again."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from app.auth.models import EventRole, RoleName
from app.demo import generator
from app.demo.generator import DemoError, load_demo
from app.demo.planner import plan_demo
from app.events.models import Category, CategoryCode, Event
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations.models import Delegation, Registration, RegistrationStatus

PHONE_PREFIX = {"FR": "+33 ", "CA": "+1 ", "BE": "+32 ", "CH": "+41 ", "LU": "+352 ", "MA": "+212 ",
                "SN": "+221 ", "CI": "+225 ", "TN": "+216 ", "CM": "+237 "}


def test_demo_edition_is_realistic(db):
    summary = load_demo(2018, "demo-test", password="demo-password-1")

    assert summary.created and summary.num_registrations == 1000
    assert summary.by_category["elu"] == 250
    assert summary.by_category["intervenant"] == 100
    assert summary.num_startups == 120
    assert len(summary.by_country) == 11 and "Québec" in summary.by_country
    assert summary.by_status["confirmed"] > 800
    assert 20 <= summary.by_status["pending"] <= 100
    assert summary.by_status["waitlisted"] > 0 and summary.by_status["cancelled"] > 0

    event = db.session.scalar(select(Event).where(Event.slug == "demo-test"))
    rows = db.session.execute(select(Registration, Person).join(Person).where(Registration.event_id == event.id)).all()
    emails = [person.email for _r, person in rows]
    assert len(emails) == len(set(emails)) == 1000
    assert len({person.country for _r, person in rows}) == 10  # Québec and the rest of Canada are both CA
    for registration, person in rows:
        assert person.phone.startswith(PHONE_PREFIX[person.country]), person.phone
        assert registration.days and 1 <= len(registration.themes) <= 4
    assert Counter(r.consent_directory for r, _p in rows)[False] > 200  # many leave it unticked

    delegations = db.session.scalars(select(Delegation).where(Delegation.event_id == event.id)).all()
    assert len(delegations) >= 20
    for delegation in delegations:
        assert 2 <= len(delegation.members) <= 6
        assert delegation.coordinator in delegation.members
        assert [m.protocol_rank for m in delegation.members] == list(range(1, len(delegation.members) + 1))
        assert delegation.members[0].category.code == CategoryCode.ELU
        assert all(m.status != RegistrationStatus.CANCELLED for m in delegation.members)

    startups = db.session.scalars(select(Organisation).where(Organisation.kind == OrganisationKind.STARTUP)).all()
    assert len(startups) == 120 and all(o.pitch and o.website.startswith("https://") for o in startups)
    cities = db.session.scalars(select(Organisation).where(Organisation.kind == OrganisationKind.COLLECTIVITE)).all()
    assert all(o.population for o in cities)
    exhibitors = db.session.scalars(select(EventRole).where(EventRole.role == RoleName.EXHIBITOR)).all()
    assert len(exhibitors) > 150 and all(r.organisation.kind == OrganisationKind.STARTUP for r in exhibitors)

    assert db.session.scalar(select(func.count()).select_from(Category)) == len(CategoryCode)
    assert all(r.source == "demo" for r, _p in rows)


def test_an_existing_edition_is_left_alone_without_reset(db, event):
    before = db.session.scalar(select(func.count()).select_from(Registration))
    summary = load_demo(2018, event.slug)
    assert not summary.created and not summary.is_demo and summary.password is None
    assert db.session.scalar(select(func.count()).select_from(Registration)) == before


def test_a_bad_slug_is_refused(db):
    with pytest.raises(DemoError) as error:
        load_demo(1, "Pas un slug!")
    assert error.value.code == "bad_slug"
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_failed_load_leaves_no_half_edition(db, monkeypatch):
    def small_plan(seed, days, themes):
        plan = plan_demo(seed, days, themes)
        plan.leads = plan.leads[:20]  # the first officials, enough to commit a batch
        return plan

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(generator, "BATCH_SIZE", 5)
    monkeypatch.setattr(generator, "plan_demo", small_plan)
    monkeypatch.setattr(generator, "_delegations", fail)
    with pytest.raises(RuntimeError):
        load_demo(3, "demo-broken")
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
