"""load_demo without a full load: existing editions, bad slugs, failures (the full load is in test_demo_cli)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.demo import enrol, generator
from app.demo.generator import DemoError, load_demo
from app.demo.planner import plan_demo
from app.events.models import Event
from app.registrations.models import Registration


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

    monkeypatch.setattr(enrol, "BATCH_SIZE", 5)
    monkeypatch.setattr(generator, "plan_demo", small_plan)
    monkeypatch.setattr(generator, "_delegations", fail)
    with pytest.raises(RuntimeError):
        load_demo(3, "demo-broken")
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
