"""Nobody is ever in two places: over random accepted meetings (officials, delegations, startups with and without
stands, companies; members brought along) and the routes computed for them, every placed meeting keeps each of its
people off her route (but at the stand itself), her sessions, the days she does not come and her other meetings."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from app.demonstrator.plans.models import VisitPlan
from app.demonstrator.plans.results import check_plan
from app.extensions import db
from app.meetings.placement import placing
from app.meetings.placement.availability import routes_plan
from app.meetings.placement.models import MeetingPlacement, PlacementRun
from app.meetings.requests.models import MeetingRequest
from tests.meetings.placement_world import accept, build
from tests.meetings.test_placement_place import assert_nobody_twice

#: (requester, recipient) by their place in the world's lists; a pair is asked once whichever way.
PAIRS = st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.booleans()), min_size=1, max_size=14)


def test_nobody_is_ever_in_two_places(event, make_registration):
    world = build(event, make_registration, tables="2")
    people = [world.mayor, world.coordinator, world.speaker, world.absent, *world.startups, world.bare_startup,
              world.company, world.other_company, world.deputy]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(PAIRS)
    def check(drawn):
        for model in (MeetingPlacement, PlacementRun, VisitPlan, MeetingRequest):
            db.session.execute(delete(model))
        db.session.commit()
        seen = set()
        for a, b, brings in drawn:
            pair = frozenset((people[a].id, people[b].id))
            if a == b or pair in seen:
                continue
            seen.add(pair)
            along = [world.deputy] if brings and people[b] is world.coordinator and people[a] is not world.deputy else []
            accept(event, people[a], people[b], brings=along)
        figures = placing.place_all(event, time_limit=1, actor_id=None)
        db.session.expire_all()
        assert figures["placed"] + sum(figures["unplaced"].values()) == figures["total"] == len(seen)
        assert_nobody_twice(event)
        plan = routes_plan(event)
        assert plan is None or check_plan(plan) == []

    check()
