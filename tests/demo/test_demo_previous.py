"""The demo's previous edition as an organiser finds it (checked on test_demo_cli's full load), and what
`--reset` may delete."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.badging.models import CheckIn
from app.demo import generator, previous
from app.demo.generator import load_demo
from app.demo.planner import plan_demo
from app.demonstrator.realised.report import report
from app.events.models import Category, CategoryCode, Event, EventStatus
from app.leads.models import Lead, Scan
from app.meetings.agenda import schedule
from app.meetings.agenda.figures import meeting_figures
from app.meetings.placement.models import Mark, MarkSource, MeetingMark
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus, SurveyInvitation
from app.outcomes.survey_jobs import invitees
from app.registrations.models import Mandate, Registration, RegistrationStatus
from app.registrations.services import RegistrationInput, register


def local_time(event: Event, moment):
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(event.timezone))


def assert_previous_edition(db, slug: str, output: str) -> None:
    """`flask demo` loaded `slug` and its previous edition: over, with arrivals, scans that realise most of its
    planned visits, outcomes of every kind, surveys, and the same mayors and cities as the upcoming one."""
    upcoming = db.session.scalar(select(Event).where(Event.slug == slug))
    past = db.session.scalar(select(Event).where(Event.slug == previous.previous_slug(slug)))
    assert past is not None and past.status == EventStatus.CLOSED and past.ends_on < upcoming.starts_on
    assert f"Previous edition: {past.slug} (closed" in output

    confirmed = set(db.session.scalars(select(Registration.id).where(
        Registration.event_id == past.id, Registration.status == RegistrationStatus.CONFIRMED)))
    check_ins = db.session.scalars(select(CheckIn).where(CheckIn.event_id == past.id)).all()
    assert 0.8 * len(confirmed) <= len(check_ins) <= len(confirmed)
    assert {c.registration_id for c in check_ins} <= confirmed
    assert {local_time(past, c.at).date() for c in check_ins} == set(past.days)
    assert all(time(7, 45) <= local_time(past, c.at).time() <= time(14, 46) for c in check_ins)
    morning = sum(1 for c in check_ins if local_time(past, c.at).hour < 11)
    assert morning > 0.8 * len(check_ins)
    assert f"{len(check_ins)} check-ins" in output

    realised = report(past)
    assert realised.plan is not None and realised.plan.published_at.date() < past.starts_on
    totals = realised.totals
    assert totals.planned > 1000 and 0.6 <= totals.rate <= 0.8 and totals.unplanned > 100
    assert f"realising {totals.realised} of {totals.planned} planned visits" in output
    arrived = {c.registration_id: c.at for c in check_ins}
    scans = db.session.scalars(select(Scan).where(Scan.event_id == past.id)).all()
    assert all(s.registration_id in arrived and arrived[s.registration_id] <= s.scanned_at for s in scans)
    leads = db.session.scalars(select(Lead).where(Lead.event_id == past.id)).all()
    assert sum(1 for lead in leads if lead.notes) > 50 and sum(1 for lead in leads if lead.tags) > 100
    assert any(lead.num_scans > 1 for lead in leads)

    # Meetings on request, published with the routes: the stands' scans marked some held, people said how most of
    # the others went (a side that never checked in did not come), some nobody marked.
    tally = meeting_figures(past).total
    assert tally.planned >= 60 and tally.at_stands >= 30 and tally.at_tables >= 20
    assert 0 < tally.held_by_scan < tally.held and tally.no_show > 0 and tally.unmarked > 0
    assert f"{tally.planned} meetings on request published" in output
    for mark in db.session.scalars(select(MeetingMark).where(MeetingMark.source == MarkSource.SCAN)):
        placement = mark.placement
        if placement.event_id != past.id:
            continue
        met = {r.id for r in schedule.people_of_side(placement, schedule.other(mark.side))}
        assert db.session.scalar(select(func.count()).select_from(Scan).where(
            Scan.registration_id.in_(met), Scan.scanned_at == mark.marked_at)) >= 1
    for mark in db.session.scalars(select(MeetingMark).where(MeetingMark.mark == Mark.NO_SHOW)):
        assert mark.marked_at > mark.placement.published_starts_at

    outcomes = db.session.scalars(select(Outcome).where(Outcome.event_id == past.id)).all()
    assert 60 <= len(outcomes) <= 90
    assert {o.kind for o in outcomes} == set(OutcomeKind)
    assert {o.status for o in outcomes} == set(OutcomeStatus)
    assert {o.source for o in outcomes} == set(OutcomeSource)
    assert {o.recorded_side for o in outcomes} == set(OutcomeSide)
    assert all(o.status_on > past.ends_on and o.created_at.date() > past.ends_on for o in outcomes)
    assert sum(1 for o in outcomes if o.amount) >= 10 and len({o.currency for o in outcomes if o.amount}) >= 2
    confirmed_by_city = [o for o in outcomes if o.confirmed_at and o.recorded_side == OutcomeSide.STARTUP]
    assert confirmed_by_city and all(o.confirmed_by_id == o.registration.person_id and o.confirmed_at >= o.created_at
                                     for o in confirmed_by_city)
    realised_visits = {v.visit.id for v in realised.visits if v.realised}
    assert all(o.planned_visit_id in realised_visits for o in outcomes if o.source == OutcomeSource.VISIT)
    assert all(o.lead_id for o in outcomes if o.source == OutcomeSource.SCAN)
    assert f"{len(outcomes)} outcomes" in output

    surveys = db.session.scalars(select(SurveyInvitation).where(SurveyInvitation.event_id == past.id)).all()
    waves = Counter(s.wave for s in surveys)
    assert set(waves) == {1, 3} and waves[1] > 100 and all(s.sent_at for s in surveys)
    assert 0 < sum(1 for s in surveys if s.answered_at) < len(surveys)
    assert len({s.token_hash for s in surveys}) == len(surveys)
    # The people the daily pass would have invited; two opted out after the first wave.
    invited = {i.person_id for i in invitees(past)}
    assert {s.person_id for s in surveys if s.wave == 1} == invited
    assert len(invited - {s.person_id for s in surveys if s.wave == 3}) == 2

    # Recognised across editions: the same mayors (the same people), the same cities, half the startups.
    def mayors(event):
        return set(db.session.scalars(select(Registration.person_id).where(
            Registration.event_id == event.id, Registration.mandate == Mandate.MAIRE)))
    assert len(mayors(past)) >= 40 and mayors(past) <= mayors(upcoming)

    def organisations(event, code):
        return set(db.session.scalars(select(Registration.organisation_id).join(Category).where(
            Registration.event_id == event.id, Category.code == code)))
    assert len(organisations(past, CategoryCode.STARTUP) & organisations(upcoming, CategoryCode.STARTUP)) >= 40
    assert len(organisations(past, CategoryCode.ELU) & organisations(upcoming, CategoryCode.ELU)) >= 30

    # The upcoming edition has not taken place: no arrival, no scan, no outcome.
    for table in (CheckIn, Scan, Outcome):
        assert db.session.scalar(select(func.count()).select_from(table).where(table.event_id == upcoming.id)) == 0


def test_the_previous_editions_short_name_is_a_valid_one():
    assert previous.previous_slug("sommet-nevers-2027") == "sommet-blois-2026"
    assert previous.previous_slug("demo-e2e") == "demo-e2e-2026"
    long = "a" * 74 + "-bcdef"
    assert previous.previous_slug(long) == "a" * 74 + "-2026" and generator.SLUG_PATTERN.fullmatch(
        previous.previous_slug(long))


def small_plan(seed, days, themes):
    """The upcoming edition with only its first two delegations and ten startups: quick to load."""
    plan = plan_demo(seed, days, themes)
    cities = sorted({lead.delegation for lead in plan.leads if lead.delegation})[:2]
    startups = [lead for lead in plan.leads if lead.data.category == CategoryCode.STARTUP][:10]
    plan.leads = [lead for lead in plan.leads if lead.delegation in cities] + startups
    return plan


def test_a_failure_in_the_previous_edition_leaves_neither_edition(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(generator, "plan_demo", small_plan)
    monkeypatch.setattr(previous, "load_demonstrator", fail)  # after its registrations were committed
    with pytest.raises(RuntimeError):
        load_demo(3, "demo-broken", plan_seconds=0)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_reset_refuses_to_delete_a_real_edition_under_the_previous_editions_name(app, db, make_event):
    real = make_event(slug="demo-x-2026", name="Un vrai sommet")
    register(real, RegistrationInput(category=CategoryCode.VISITEUR, email="lea@example.org", first_name="Léa",
                                     last_name="Martin", days=[real.starts_on]), source="web", notify=False)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "--slug", "demo-x", "--reset"])
    assert result.exit_code == 2 and "'demo-x-2026' was not made by the demo" in result.output
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
