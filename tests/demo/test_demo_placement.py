"""The demo's placed meetings (issue 29, "Done when"): 250+ accepted meetings placed and published on the demo
summit, at the stands on the routes and at the tables, a few without a place and why, nobody in two places, routes
that routing.check accepts; the organiser's page shows the grid."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.auth.services import set_password
from app.demonstrator.plans.models import PlanStatus
from app.demonstrator.plans.results import check_plan
from app.events.models import Event
from app.extensions import db
from app.meetings.placement.availability import routes_plan
from app.meetings.placement.models import MeetingPlacement, PlaceKind, PlacementRun
from app.meetings.requests.models import RequestStatus
from app.people.models import Person
from tests.conftest import TEST_PASSWORD, login
from tests.meetings.test_placement_place import assert_nobody_twice


def test_the_demo_places_and_publishes_its_accepted_meetings(db, planned_demo_summit, client):
    event = db.session.get(Event, planned_demo_summit.event_id)
    placements = [p for p in db.session.scalars(select(MeetingPlacement).where(MeetingPlacement.event_id == event.id))
                  if p.request.status is RequestStatus.ACCEPTED]
    placed = [p for p in placements if p.starts_at is not None]
    kinds = Counter(p.kind for p in placed)
    assert len(placements) >= 250 and len(placed) >= 250
    assert kinds[PlaceKind.TABLE] >= 20 and kinds[PlaceKind.STAND] >= 150
    assert all(p.published_starts_at == p.starts_at for p in placed)
    unplaced = Counter(p.unplaced.value for p in placements if p.starts_at is None)
    assert 0 < sum(unplaced.values()) <= 20 and set(unplaced) <= {"no_common_slot", "no_table", "person_busy"}
    plan = routes_plan(event)
    assert plan.status is PlanStatus.PUBLISHED and check_plan(plan) == []
    assert db.session.get(PlacementRun, event.id).plan_id == plan.id
    assert_nobody_twice(event)
    organiser = db.session.scalar(select(Person).where(Person.email == planned_demo_summit.organiser_email))
    set_password(organiser, TEST_PASSWORD)
    db.session.commit()
    login(client, organiser)
    html = client.get(f"/manage/e/{event.slug}/meetings/placement/").get_data(as_text=True)
    assert html.count('data-testid="cell"') == kinds[PlaceKind.TABLE]
    assert html.count('data-testid="unplaced-row"') == sum(unplaced.values())
