"""What features above the demonstrator tell it: required visits in every problem document (those the routes cannot
make left out), busy times cut from the tours; a required visit survives the tidying and cannot be removed by hand."""
from __future__ import annotations

import pytest
import routing

from app.core.timefmt import utcnow
from app.demonstrator.plans import editing, planning
from app.demonstrator.plans import required as required_hook
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.demonstrator.plans.problem import build_problem
from app.demonstrator.plans.results import check_plan
from app.demonstrator.wishes import outside
from app.demonstrator.wishes.visitors import tour_windows, visitor_units
from app.extensions import db
from tests.demonstrator.conftest import utc


@pytest.fixture
def hooks(app):
    """Sources registered for one test: required visits and busy times, as lists the test fills."""
    wanted: list = []
    busy: dict = {}
    sources = (app.extensions.setdefault(required_hook.EXTENSION_KEY, []),
               app.extensions.setdefault(outside.EXTENSION_KEY, []))
    saved = [list(s) for s in sources]
    sources[0][:] = [lambda event: list(wanted)]
    sources[1][:] = [lambda event, ids: {i: busy[i] for i in ids if i in busy}]
    yield wanted, busy
    for source, kept in zip(sources, saved):
        source[:] = kept


def test_required_visits_go_into_the_document_and_the_plan(world, hooks):
    wanted, _ = hooks
    official = world.officials[0]
    wanted.append(required_hook.RequiredVisit(f"r{official.id}", world.startups[3].id))
    built = build_problem(world.event)
    assert built.document["required"] == [{"visitor": f"r{official.id}", "stand": "A4", "from": None, "to": None}]
    plan = planning.request_plan(world.event, planning.PlanRequest(time_limit=2), actor_id=None, background=False)
    assert check_plan(plan) == []
    assert any(v.visitor_key == f"r{official.id}" and v.stand_key == "A4" for v in plan.visits)
    # Removing it by hand is refused; the plan still holds it.
    visit = next(v for v in plan.visits if v.visitor_key == f"r{official.id}" and v.stand_key == "A4")
    with pytest.raises(planning.PlanningError) as refused:
        editing.remove_visit(plan, visit.id, actor_id=None)
    assert refused.value.code == "visit_required"


def test_visits_the_routes_cannot_make_are_left_out_with_why(world, hooks, make_registration):
    wanted, _ = hooks
    official = world.officials[0]
    late = required_hook.RequiredVisit(f"r{official.id}", world.startups[0].id, starts_after=utc(world.event.starts_on,
                                                                                                 "17:00"))
    wanted += [late, required_hook.RequiredVisit("r999999", world.startups[1].id),
               required_hook.RequiredVisit(f"r{official.id}", 999999)]
    built = build_problem(world.event)
    assert "required" not in built.document
    assert built.dropped_required == {late: required_hook.NO_ROOM, wanted[1]: required_hook.NOT_ROUTED,
                                      wanted[2]: required_hook.NO_STAND}


def test_a_delegation_meeting_a_startup_twice_makes_one_visit(world, hooks):
    wanted, _ = hooks
    key = f"d{world.delegation.id}"
    wanted += [required_hook.RequiredVisit(key, world.startups[2].id)] * 2
    assert build_problem(world.event).document["required"] == [{"visitor": key, "stand": "A3", "from": None,
                                                                 "to": None}]


def test_required_visits_the_search_finds_no_room_for_are_dropped_and_the_plan_stored(world, hooks):
    # Two officials required at a stand that takes one visit in all: each alone has room, not both.
    wanted, _ = hooks
    stand = world.stands[0]
    stand.max_visits = 1
    db.session.commit()
    a, b = world.officials[0], world.officials[1]
    wanted += [required_hook.RequiredVisit(f"r{a.id}", world.startups[0].id),
               required_hook.RequiredVisit(f"r{b.id}", world.startups[0].id)]
    built = build_problem(world.event)
    assert len(built.document["required"]) == 1  # the stand's most visits: counted before the search
    assert list(built.dropped_required.values()) == [required_hook.NO_ROOM]


def test_the_solvers_refusal_names_the_visits_left_out():
    message = ("required: found no room for required[3] ('d12' at 'A05', any-any), required[7] ('r4' at 'B01', "
               "10-60) beside required[1] ('d12' at 'A02', any-any) (the solver places them greedily)")
    assert required_hook.left_out(message) == {3, 7}
    assert required_hook.left_out("locked: locked visits cannot all hold together") == set()


def test_compute_drops_the_required_visits_the_search_cannot_place(world, hooks):
    # A stand open 20 minutes for two required visits of 20: the document's checks pass each alone.
    official_a, official_b = world.officials[0], world.officials[1]
    built = build_problem(world.event)
    doc = built.document
    stand = next(s for s in doc["stands"] if s["id"] == "A1")
    stand["open"] = [[660, 660 + stand["visit_duration"]]]  # 11:00, inside the morning tours
    stand["capacity"] = 1
    doc["required"] = [{"visitor": f"r{official_a.id}", "stand": "A1"}, {"visitor": f"r{official_b.id}",
                                                                       "stand": "A1"}]
    routing.parse_problem(doc)
    plan = VisitPlan(event_id=world.event.id, version=1, status=PlanStatus.COMPUTING, reference=built.reference,
                     problem=doc, time_limit=1, figures={"seed": 0}, created_at=utcnow())
    db.session.add(plan)
    db.session.commit()
    planning.compute(plan)
    plan = db.session.get(VisitPlan, plan.id, populate_existing=True)
    assert plan.status is PlanStatus.DRAFT and len(plan.problem["required"]) == 1
    assert check_plan(plan) == []


def test_busy_times_from_above_are_cut_from_the_tours(world, hooks):
    _, busy = hooks
    official = world.officials[0]
    day = world.event.starts_on
    before = tour_windows(world.event, visitor_units(world.event))[f"r{official.id}"]
    busy[official.id] = [(utc(day, "10:40"), utc(day, "11:00"))]
    after = tour_windows(world.event, visitor_units(world.event))[f"r{official.id}"]
    assert before != after
    assert all(not (a < utc(day, "11:00") and utc(day, "10:40") < b) for a, b in after)
    # A delegation walks together: one member's meeting keeps both off the tour then.
    deputy = world.officials[4]
    busy[deputy.id] = [(utc(day, "14:20"), utc(day, "14:40"))]
    windows = tour_windows(world.event, visitor_units(world.event))[f"d{world.delegation.id}"]
    assert all(not (a < utc(day, "14:40") and utc(day, "14:20") < b) for a, b in windows)
