"""One availability model: days not attended, sessions spoken at or kept, visit routes, meetings placed."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.meetings.placement import placing
from app.meetings.placement.availability import ABSENT, MEETING, ROUTE, SESSION, busy_of, routes_plan
from tests.meetings.placement_world import build, utc


@pytest.fixture
def pw(event, make_registration):
    return build(event, make_registration)


def kinds(busy) -> set[str]:
    return {b.kind for b in busy}


def test_days_not_attended_and_sessions_spoken_at(pw):
    busy = busy_of(pw.event, [pw.absent.id, pw.speaker.id], plan=False)
    day1, day2, day3 = pw.event.days
    assert [(b.starts_at, b.ends_at) for b in busy[pw.absent.id]] == [
        (utc(day1, "00:00"), utc(day2, "00:00")), (utc(day2, "00:00"), utc(day3, "00:00"))]
    assert kinds(busy[pw.absent.id]) == {ABSENT}
    talk = [b for b in busy[pw.speaker.id] if b.kind == SESSION]
    assert [(b.starts_at, b.ends_at) for b in talk] == [(utc(day1, "15:00") - timedelta(minutes=10),
                                                         utc(day1, "16:00") + timedelta(minutes=10))]


def test_a_delegation_walks_its_routes_together_and_meetings_keep_people_busy(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    plan = routes_plan(pw.event)
    busy = busy_of(pw.event, [pw.coordinator.id, pw.deputy.id, pw.company.id])
    routes = {r: [(b.starts_at, b.ends_at) for b in busy[r] if b.kind == ROUTE] for r in (pw.coordinator.id,
                                                                                         pw.deputy.id)}
    assert routes[pw.coordinator.id] and routes[pw.coordinator.id] == routes[pw.deputy.id]
    visit = next(v for v in plan.visits if v.visitor_key == f"d{pw.coordinator.delegation_id}")
    span = routes[pw.coordinator.id][0]
    assert span[0] <= visit.starts_at and visit.ends_at <= span[1]
    # The company has two meetings at tables: both keep it busy; one left out on request (the one being moved).
    meetings = [b for b in busy[pw.company.id] if b.kind == MEETING]
    assert len(meetings) == 2
    skipped = busy_of(pw.event, [pw.company.id], skip_requests=[pw.meetings["company_mayor"].id])
    assert [b.ref for b in skipped[pw.company.id] if b.kind == MEETING] == [pw.meetings["company_speaker"].id]


def test_the_published_meetings_are_read_apart_from_the_draft(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    assert not [b for b in busy_of(pw.event, [pw.company.id], published=True)[pw.company.id] if b.kind == MEETING]
    db.session.rollback()
