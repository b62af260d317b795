"""Placing all meetings: stand meetings as required visits of the routes, table meetings around them; locks kept;
placing again changes nothing that needs no change; nobody in two places."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.demonstrator.plans import planning
from app.demonstrator.plans.models import VisitPlan
from app.demonstrator.plans.results import check_plan
from app.extensions import db
from app.meetings.errors import MeetingError
from app.meetings.placement import editing, placing
from app.meetings.placement.availability import MEETING, ROUTE, busy_of, people_of, routes_plan
from app.meetings.placement.models import MeetingPlacement, PlaceKind, Unplaced
from app.meetings.requests.models import RequestStatus
from app.meetings.requests.settings import tables_of
from app.registrations.models import RegistrationStatus
from tests.meetings.placement_world import build, utc


@pytest.fixture
def pw(event, make_registration):
    return build(event, make_registration)


def placement_of(request) -> MeetingPlacement:
    return db.session.scalar(select(MeetingPlacement).where(MeetingPlacement.request_id == request.id))


def drafts(event) -> dict[int, tuple]:
    return {p.request_id: (p.starts_at, p.table_id, p.stand_id, p.unplaced)
            for p in db.session.scalars(select(MeetingPlacement).where(MeetingPlacement.event_id == event.id))}


def assert_nobody_twice(event) -> None:
    """No person is in two meetings at once, nor in a meeting while she walks her route (but at that stand)."""
    placements = [p for p in db.session.scalars(select(MeetingPlacement).where(MeetingPlacement.event_id == event.id))
                  if p.starts_at is not None and p.request.status is RequestStatus.ACCEPTED]
    people = {r for p in placements for r in people_of(p.request)}
    busy = busy_of(event, people)
    by_request = {p.request_id: p for p in placements}

    def same_visit(p: MeetingPlacement, b) -> bool:
        """Two meetings of a delegation with one startup are one visit of its route to the stand."""
        other = by_request.get(b.ref) if b.kind == MEETING else None
        return (p.kind is PlaceKind.STAND and other is not None and other.kind is PlaceKind.STAND
                and (other.stand_id, other.starts_at) == (p.stand_id, p.starts_at))

    for p in placements:
        for registration_id in people_of(p.request):
            for b in busy[registration_id]:
                overlaps = b.starts_at < p.ends_at and p.starts_at < b.ends_at
                if (b.kind == MEETING and b.ref == p.request_id or p.kind is PlaceKind.STAND and b.kind == ROUTE
                        or same_visit(p, b)):
                    continue
                assert not overlaps, (p.request_id, registration_id, b)


def test_stand_meetings_are_visits_of_the_routes_and_table_meetings_go_around(pw):
    figures = placing.place_all(pw.event, time_limit=2, actor_id=None)
    db.session.expire_all()
    plan = routes_plan(pw.event)
    assert figures["replanned"] and plan.status.value == "draft"
    assert check_plan(plan) == []
    assert {(rq["visitor"], rq["stand"]) for rq in plan.problem["required"]} == {
        (f"r{pw.mayor.id}", "A1"), (f"d{pw.coordinator.delegation_id}", "A2")}
    stand = placement_of(pw.meetings["stand_mayor"])
    visit = next(v for v in plan.visits if v.visitor_key == f"r{pw.mayor.id}" and v.stand_key == "A1")
    assert stand.kind is PlaceKind.STAND and (stand.starts_at, stand.ends_at) == (visit.starts_at, visit.ends_at)
    assert placement_of(pw.meetings["stand_bourges"]).stand.number == "A2"
    assert placement_of(pw.meetings["absent"]).unplaced is Unplaced.NO_COMMON_SLOT
    assert figures["total"] == 7 and figures["placed"] == 6 and figures["unplaced"] == {"no_common_slot": 1}
    for key in ("company_mayor", "bare_mayor", "company_speaker", "other_startup"):
        assert placement_of(pw.meetings[key]).kind is PlaceKind.TABLE
    assert_nobody_twice(pw.event)


def test_the_speaker_is_not_placed_during_her_session(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    meeting = placement_of(pw.meetings["company_speaker"])
    day1 = pw.event.starts_on
    talk = (utc(day1, "15:00") - timedelta(minutes=10), utc(day1, "16:00") + timedelta(minutes=10))
    assert not (meeting.starts_at < talk[1] and talk[0] < meeting.ends_at)


def test_placing_again_changes_nothing_and_keeps_the_routes(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    first, plans = drafts(pw.event), db.session.scalar(select(db.func.count()).select_from(VisitPlan))
    figures = placing.place_all(pw.event, time_limit=2, seed=7, actor_id=None)
    db.session.expire_all()
    assert not figures["replanned"]
    assert db.session.scalar(select(db.func.count()).select_from(VisitPlan)) == plans
    assert drafts(pw.event) == first


def test_a_locked_meeting_stays_where_it_was_locked(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    meeting = placement_of(pw.meetings["company_speaker"])
    taken = {p.starts_at for r in people_of(meeting.request) for b in busy_of(pw.event, [r])[r]
             for p in [b] if b.kind == MEETING}
    slot = next(s for s in (utc(pw.event.days[1], f"{h}:{m:02d}") for h in (10, 11) for m in (0, 20, 40))
                if s not in taken and s != meeting.starts_at)
    free = next(t for t in tables_of(pw.event) if t.id != meeting.table_id)
    editing.move(pw.event, meeting.id, starts_at=slot, table=free.id, actor_id=None)
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    db.session.expire_all()
    moved = placement_of(pw.meetings["company_speaker"])
    assert (moved.starts_at, moved.table_id, moved.locked) == (slot, free.id, True)


def test_a_cancelled_meeting_frees_its_slot_and_a_new_one_is_placed(pw, make_registration):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    cancelled = pw.meetings["company_mayor"]
    cancelled.status = RequestStatus.CANCELLED
    db.session.commit()
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    db.session.expire_all()
    assert placement_of(cancelled) is None  # never published: nothing to tell
    assert_nobody_twice(pw.event)


def test_a_cancelled_registration_s_meetings_are_no_longer_placed(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    assert placement_of(pw.meetings["company_speaker"]).starts_at is not None
    pw.company.status = RegistrationStatus.CANCELLED
    db.session.commit()
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    db.session.expire_all()
    assert placement_of(pw.meetings["company_speaker"]) is None and placement_of(pw.meetings["company_mayor"]) is None
    assert placement_of(pw.meetings["stand_mayor"]).starts_at is not None


def test_a_meeting_accepted_between_an_official_and_a_stand_re_plans_the_routes(pw):
    from tests.meetings.placement_world import accept
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    accept(pw.event, pw.startups[2], pw.speaker)
    figures = placing.place_all(pw.event, time_limit=2, actor_id=None)
    assert figures["replanned"] and figures["stands_total"] == 3
    plan = routes_plan(pw.event)
    assert (f"r{pw.speaker.id}", "A3") in {(rq["visitor"], rq["stand"]) for rq in plan.problem["required"]}
    assert check_plan(plan) == []
    assert_nobody_twice(pw.event)


def test_recomputing_the_routes_keeps_the_table_meetings_and_the_stand_meetings(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    table = placement_of(pw.meetings["bare_mayor"])
    plan = planning.request_plan(pw.event, planning.PlanRequest(time_limit=2), actor_id=None, background=False)
    assert check_plan(plan) == []
    assert {(rq["visitor"], rq["stand"]) for rq in plan.problem["required"]} >= {(f"r{pw.mayor.id}", "A1")}
    mayor = next(v for v in plan.problem["visitors"] if v["id"] == f"r{pw.mayor.id}")
    start = (table.starts_at - plan.reference).total_seconds() / 60
    end = start + 20
    assert all(not (t["from"] < end and start < t["to"]) for t in mayor["tours"])


def test_a_stand_meeting_the_routes_cannot_hold_goes_to_a_table(pw):
    pw.mayor.days = [pw.event.days[1].isoformat()]  # no tour slot on day 2: no route at all
    db.session.commit()
    figures = placing.place_all(pw.event, time_limit=2, actor_id=None)
    meeting = placement_of(pw.meetings["stand_mayor"])
    assert (meeting.kind, meeting.unplaced, meeting.stand_id) == (PlaceKind.TABLE, None, None)
    assert meeting.table_id is not None and meeting.starts_at.date() == pw.event.days[1]
    assert figures["stands_placed"] < figures["stands_total"]
    assert_nobody_twice(pw.event)
    # A move is checked against it like any table meeting: another meeting cannot take its table in its slot.
    other = placement_of(pw.meetings["company_speaker"])
    before = (other.starts_at, other.table_id)
    with pytest.raises(MeetingError):
        editing.move(pw.event, other.id, starts_at=meeting.starts_at, table=meeting.table_id, actor_id=None)
    db.session.rollback()
    assert (placement_of(pw.meetings["company_speaker"]).starts_at, other.table_id) == before


def test_two_stand_meetings_of_one_startup_never_overlap(pw):
    """A stand that takes two groups at once could hold two officials' meetings with its startup at the same time:
    the later one goes to a table."""
    from types import SimpleNamespace

    from tests.meetings.placement_world import accept
    second = accept(pw.event, pw.startups[0], pw.coordinator)
    first = pw.meetings["stand_mayor"]
    at = utc(pw.event.starts_on, "14:20")
    visits = {first.id: SimpleNamespace(starts_at=at, ends_at=at + timedelta(minutes=10)),
              second.id: SimpleNamespace(starts_at=at + timedelta(minutes=5), ends_at=at + timedelta(minutes=15))}
    kept = placing.one_place_at_a_time([first, second], dict(visits))
    assert kept == {first.id: visits[first.id], second.id: None}
    apart = {first.id: visits[first.id],
             second.id: SimpleNamespace(starts_at=at + timedelta(minutes=10), ends_at=at + timedelta(minutes=20))}
    assert placing.one_place_at_a_time([first, second], dict(apart)) == apart
