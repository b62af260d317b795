"""The demo's placed meetings (issue 29): the upcoming edition's accepted meetings placed and published, with its
visit routes.

The demo's routes are computed once, with the meetings at the stands in them: the demonstrator is laid out without
a plan, the meeting requests are made, then "place all meetings" computes the routes (the stand meetings as
required visits) for the demo's plan time, places the table meetings around them, tightens the plan's bound as the
demonstrator's own demo does, and publishes both, telling nobody (a demo's history, not news). The routes are
computed for a set time, as the demonstrator's demo plan: they vary a little with the machine's speed; the tables,
placed by CP-SAT on one thread from the seed, follow them.
"""
from __future__ import annotations

from app.demonstrator.plans import bounds, editing, planning
from app.events.models import Event
from app.meetings.placement import placing, publishing
from app.meetings.placement.availability import routes_plan

#: Seconds for the tables' search at most (it stops as soon as it proves its placement the best).
TABLE_SECONDS = 30


def load_placement(event: Event, seed: int, *, plan_seconds: float, organiser_id: int) -> tuple[str, str]:
    """Place and publish the demo's meetings and its routes; returns the routes' line and the meetings' line (both
    empty without plan time: the demo is then left unplanned, as `--plan-seconds 0` asks)."""
    if not plan_seconds:
        return "", ""
    plan_seconds = max(placing.MIN_TIME_LIMIT, min(float(plan_seconds), placing.MAX_TIME_LIMIT))
    figures = placing.place_all(event, time_limit=plan_seconds, seed=seed, actor_id=organiser_id)
    plan = routes_plan(event)
    if plan is None:  # no meeting at a stand: the routes were not needed for them
        plan = planning.request_plan(event, planning.PlanRequest(time_limit=plan_seconds), actor_id=organiser_id,
                                     seed=seed, background=False)
        editing.publish(plan, actor_id=organiser_id, notify_people=False)
        figures = placing.place_all(event, time_limit=min(plan_seconds, TABLE_SECONDS), seed=seed,
                                    actor_id=organiser_id)
    else:
        bounds.refine(plan.id)
    publishing.publish(event, actor_id=organiser_id, notify_people=False)
    f = routes_plan(event).figures
    routes = (f"visit plan v{plan.version} published: {f['num_visits']} visits ({f['num_meetings']} meetings) for "
              f"{f['num_visitors']} officials and delegations")
    unplaced = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in sorted(figures["unplaced"].items()))
    meetings = (f"placed and published {figures['placed']} of {figures['total']} accepted meetings "
                f"({figures['tables_placed']} at tables, {figures['stands_placed']} at stands on the routes)"
                + (f"; without a place: {unplaced}" if unplaced else ""))
    return routes, meetings
