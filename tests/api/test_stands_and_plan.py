"""Stands with their startups, and the published visit plan per visitor and per stand, on the demo summit."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall.models import Stand
from app.demonstrator.plans import itinerary
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.events.models import Event
from app.registrations.models import Registration
from tests.api.test_contract import error_of


def test_stands_with_the_startups_booked_on_them(api, db, demo_summit, make_token):
    event = db.session.get(Event, demo_summit.event_id)
    token = make_token(event, ["stands:read"])
    stands = db.session.scalars(select(Stand).where(Stand.event_id == event.id)
                                .options(selectinload(Stand.bookings))).all()
    page = api.get(f"/events/{event.slug}/stands?limit=500", token).get_json()
    assert sorted(s["number"] for s in page["data"]) == sorted(s.number for s in stands)
    stand = next(s for s in stands if s.bookings)
    shown = api.get(f"/events/{event.slug}/stands/{stand.id}", token).get_json()
    startup = stand.bookings[0].registration
    assert shown["number"] == stand.number and shown["capacity"] == stand.capacity
    assert shown["position"] == {"x": stand.x, "y": stand.y, "width": stand.width, "depth": stand.depth}
    assert shown["startups"][0] | {"starts_at": None, "ends_at": None} == {
        "registration_id": startup.id, "name": startup.startup_name, "pitch": startup.organisation.pitch,
        "pitch_en": startup.organisation.pitch_en, "website": startup.organisation.website,
        "organisation_id": startup.organisation_id, "starts_at": None, "ends_at": None}
    assert shown["startups"][0]["starts_at"].endswith("Z")
    missing = api.get(f"/events/{event.slug}/stands/99999999", token)
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    assert api.get(f"/events/{event.slug}/stands", make_token(event, ["program:read"])).status_code == 403


def test_no_plan_published_is_a_clear_404(api, db, demo_summit, make_token):
    event = db.session.get(Event, demo_summit.event_id)
    token = make_token(event, ["plan:read"])
    someone = db.session.scalar(select(Registration.id).where(Registration.event_id == event.id).limit(1))
    stand = db.session.scalar(select(Stand.id).where(Stand.event_id == event.id).limit(1))
    for path in ("plan", f"plan/visitors/{someone}", f"plan/stands/{stand}"):
        response = api.get(f"/events/{event.slug}/{path}", token)
        assert response.status_code == 404 and error_of(response)["code"] == "plan_not_published", path


def test_the_published_plan_per_visitor_and_per_stand(api, db, planned_demo_summit, make_token):
    event = db.session.get(Event, planned_demo_summit.event_id)
    token = make_token(event, ["plan:read"])
    plan = db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                     VisitPlan.status == PlanStatus.PUBLISHED))
    shown = api.get(f"/events/{event.slug}/plan", token).get_json()
    assert (shown["id"], shown["version"], shown["visits"]) == (plan.id, plan.version, len(plan.visits))
    # An official walking with her delegation: her route is her delegation's visits, as on her itinerary page.
    member = db.session.scalar(select(Registration).where(Registration.delegation_id == shown["delegation_ids"][0]))
    route = api.get(f"/events/{event.slug}/plan/visitors/{member.id}", token).get_json()
    assert [v["id"] for v in route["data"]] == [v.id for v in itinerary.route_of(member)] and route["data"]
    assert {v["delegation_id"] for v in route["data"]} == {member.delegation_id}
    assert all(v["starts_at"].endswith("Z") and v["starts_at"] < v["ends_at"] for v in route["data"])
    stand_id = shown["stand_ids"][0]
    visits = api.get(f"/events/{event.slug}/plan/stands/{stand_id}", token).get_json()["data"]
    expected = db.session.scalars(select(PlannedVisit.id).where(PlannedVisit.plan_id == plan.id,
                                                                PlannedVisit.stand_id == stand_id)).all()
    assert sorted(v["id"] for v in visits) == sorted(expected) and visits
    assert [v["starts_at"] for v in visits] == sorted(v["starts_at"] for v in visits)
    # Back to a draft: nothing is published any more, nothing is shown.
    plan.status = PlanStatus.DRAFT
    db.session.commit()
    hidden = api.get(f"/events/{event.slug}/plan/visitors/{member.id}", token)
    assert hidden.status_code == 404 and error_of(hidden)["code"] == "plan_not_published"


def test_a_stand_whose_startup_changes_is_read_again_by_a_sync(api, db, demo_summit, make_token):
    event = db.session.get(Event, demo_summit.event_id)
    synced = datetime(2026, 11, 1, 12, 0)
    db.session.execute(update(Stand).where(Stand.event_id == event.id).values(updated_at=synced - timedelta(days=1)))
    db.session.commit()
    stand = next(s for s in db.session.scalars(select(Stand).where(Stand.event_id == event.id)) if s.bookings)
    hall_calendar.unbook(event, stand.bookings[0], actor_id=None)
    page = api.get(f"/events/{event.slug}/stands?updated_since=2026-11-01T12:00:00Z",
                   make_token(event, ["stands:read"])).get_json()
    assert [(s["number"], len(s["startups"])) for s in page["data"]] == [(stand.number, len(stand.bookings))]
