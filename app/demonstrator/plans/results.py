"""What a computed plan holds: its visits as a solution document (rounded to whole minutes by rounding.py),
stored as rows, and the figures organisers read. Everything here is checked by routing's own code.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import routing
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from app.demonstrator.hall.models import Stand
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.wishes.visitors import group_sizes
from app.extensions import db


def solution_document(plan: VisitPlan, visits: list | None = None) -> dict:
    """The plan's visits (or `visits`: PlannedVisits or rows with their visitor_key, tour, stand_key and start) as a
    `visit-routing-solution/1` document."""
    tours: dict[tuple[str, int], list[PlannedVisit]] = defaultdict(list)
    for visit in plan.visits if visits is None else visits:
        tours[(visit.visitor_key, visit.tour)].append(visit)
    return {
        "format": "visit-routing-solution/1",
        "objective": plan.figures.get("objective"),
        "tours": [{"visitor": vid, "tour": k,
                   "visits": [{"stand": v.stand_key, "start": v.start} for v in sorted(vs, key=lambda v: v.start)]}
                  for (vid, k), vs in sorted(tours.items())],
        "stats": {"bound": plan.figures.get("bound"), "seconds": plan.figures.get("seconds")},
    }


def store_solution(plan: VisitPlan, problem: routing.Problem, solution: routing.Solution) -> None:
    """Make the plan's visits those of `solution` (locks of the document stay locked).

    Only the difference is written: the visits `solution` no longer has are deleted, its new ones added with
    one bulk insert. A plan of the demo summit has some 6,000 visits, and each best plan stored as a
    computation goes changes a few hundred of them.
    """
    locked = {(lk.visitor, lk.stand) for lk in problem.locked}
    wanted = {(tour.visitor, tour.tour, visit.stand, float(visit.start)) for tour in solution.tours
              for visit in tour.visits}
    stored = db.session.execute(select(PlannedVisit.id, PlannedVisit.visitor_key, PlannedVisit.tour,
                                       PlannedVisit.stand_key, PlannedVisit.start)
                                .where(PlannedVisit.plan_id == plan.id)).all()
    kept = {(v.visitor_key, v.tour, v.stand_key, v.start) for v in stored} & wanted
    gone = [v.id for v in stored if (v.visitor_key, v.tour, v.stand_key, v.start) not in kept]
    for at in range(0, len(gone), 500):  # deleted before the inserts: a visit may come back at another time
        db.session.execute(delete(PlannedVisit).where(PlannedVisit.id.in_(gone[at:at + 500])))
    lookup = Lookup(plan)
    rows = [lookup.row(problem, visitor, tour, stand, start, locked=(visitor, stand) in locked)
            for visitor, tour, stand, start in sorted(wanted - kept)]
    if rows:
        db.session.execute(insert(PlannedVisit), [{**row, "plan_id": plan.id} for row in rows])
    db.session.expire(plan, ["visits"])


class Lookup:
    """Problem ids back to rows: "d12" -> delegation 12, "r7" -> registration 7, stand keys -> stands."""

    def __init__(self, plan: VisitPlan):
        self.plan = plan
        self.stands = {s.number: s for s in db.session.scalars(
            select(Stand).where(Stand.event_id == plan.event_id).options(selectinload(Stand.bookings)))}

    def row(self, problem: routing.Problem, visitor: str, tour: int, stand_key: str, start: float,
            *, locked: bool) -> dict:
        """The columns of a PlannedVisit."""
        number, _, startup = stand_key.partition("/")
        stand = self.stands.get(number)
        startup_id = int(startup) if startup else self._holder(stand, start)
        duration = problem.stands[problem.stand_index[stand_key]].visit_duration
        starts_at = self.plan.reference + timedelta(minutes=start)
        return dict(
            visitor_key=visitor, tour=tour, stand_key=stand_key, stand_id=stand.id if stand else None,
            startup_id=startup_id, start=start, starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=duration), score=problem.score(visitor, stand_key),
            locked=locked,
            delegation_id=int(visitor[1:]) if visitor.startswith("d") else None,
            registration_id=int(visitor[1:]) if visitor.startswith("r") else None)

    def visit(self, problem: routing.Problem, visitor: str, tour: int, stand_key: str, start: float,
              *, locked: bool) -> PlannedVisit:
        return PlannedVisit(**self.row(problem, visitor, tour, stand_key, start, locked=locked))

    def _holder(self, stand, start: float) -> int | None:
        if stand is None:
            return None
        moment = self.plan.reference + timedelta(minutes=start)
        for booking in stand.bookings:
            if booking.starts_at <= moment < booking.ends_at:
                return booking.registration_id
        return stand.bookings[0].registration_id if stand.bookings else None


# -- figures -----------------------------------------------------------------------------------

def figures(plan: VisitPlan, problem: routing.Problem | None = None, *, visits: list | None = None, **extra) -> dict:
    """What organisers read about a plan, all computed from its visits (or `visits`: rows with the columns of a
    solution document) and its document."""
    problem = problem or routing.parse_problem(plan.problem)
    solution = routing.parse_solution(solution_document(plan, visits), problem)
    objective = routing.objective(problem, solution)
    counts: dict[str, int] = defaultdict(int)
    for tour in solution.tours:
        for visit in tour.visits:
            counts[visit.stand] += 1
    shortfall = [{"stand": s.id, "visits": counts[s.id], "min": s.min_visits}
                 for s in problem.stands if counts[s.id] < s.min_visits]
    walking = []
    for tour in solution.tours:
        if not tour.visits:
            continue
        t = problem.visitors[problem.visitor_index[tour.visitor]].tours[tour.tour]
        path = [t.start] + [problem.stands[problem.stand_index[v.stand]].location for v in tour.visits] + [t.end]
        walking.append(sum(problem.travel_time(a, b) for a, b in zip(path, path[1:])))
    sizes = group_sizes(plan.event_id)
    value = sum(problem.score(t.visitor, v.stand) for t in solution.tours for v in t.visits)
    previous = {k: plan.figures.get(k) for k in ("bound", "bound_seconds", "seconds", "status", "seed", "short_tours")
                if k in plan.figures}
    out = {
        **previous,
        # Kept to 1e-9: the solution document states it, and `check` compares it to 1e-6 (pages round it).
        "objective": round(objective, 9),
        "value": round(value, 4),
        "num_visits": solution.num_visits(),
        "num_meetings": sum(sizes.get(t.visitor, 1) * len(t.visits) for t in solution.tours),
        "num_visitors": len({t.visitor for t in solution.tours if t.visits}),
        "num_visitors_in_problem": len(problem.visitors),
        "num_stands": len(problem.stands),
        "num_stands_visited": sum(1 for c in counts.values() if c),
        "shortfall": shortfall,
        "num_tours": len(walking),
        "walking_avg": round(sum(walking) / len(walking), 2) if walking else 0.0,
        "walking_max": round(max(walking), 2) if walking else 0.0,
        **extra,
    }
    if out.get("bound") is not None and out["bound"] < out["objective"]:
        out["bound"] = out["objective"]
    return out


def check_plan(plan: VisitPlan) -> list[routing.Violation]:
    """What `python -m routing check` says of the stored plan."""
    problem = routing.parse_problem(plan.problem)
    return routing.violations(problem, routing.parse_solution(solution_document(plan), problem))
