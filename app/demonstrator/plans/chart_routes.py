"""A plan's documents (the optimiser's input and the plan, as JSON) and its charts (occupancy, map)."""
from __future__ import annotations

import json

import routing
from flask import Response, render_template, request

from app.core.access import Access, requires
from app.core.timefmt import format_day
from app.demonstrator.plans import charts, results, views
from app.demonstrator.plans.routes import bp, plan_or_404
from app.events.models import Event


# -- documents ----------------------------------------------------------------------------------

def _json_download(data: dict, filename: str) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/<int:plan_id>/problem.json")
@requires(Access.ORGANISER)
def problem_document(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    return _json_download(plan.problem, f"{event.slug}-plan-v{plan.version}-problem.json")


@bp.get("/<int:plan_id>/solution.json")
@requires(Access.ORGANISER)
def solution_document(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    document = results.solution_document(plan)
    # The exact objective, so that `python -m routing check` finds it equal to the one it computes
    # (plans stored before figures kept it to 1e-9 had it rounded to 1e-4).
    problem = routing.parse_problem(plan.problem)
    document["objective"] = routing.objective(problem, routing.parse_solution(document, problem))
    return _json_download(document, f"{event.slug}-plan-v{plan.version}-solution.json")


# -- charts -------------------------------------------------------------------------------------

def _day_label(day) -> str:
    return format_day(day)


@bp.get("/<int:plan_id>/occupancy")
@requires(Access.ORGANISER)
def occupancy(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    # One day at a time: the whole summit is thousands of bars, more than anyone reads at once.
    visits = views.visit_rows(plan)
    local = charts.local_times(visits, event.timezone)
    visit_days = sorted({start.date() for start, _end in local.values()})
    wanted = request.args.get("day", "")
    day = next((d for d in visit_days if d.isoformat() == wanted), visit_days[0] if visit_days else None)
    stands, visitors = views.stand_infos(plan, visits), views.visitor_infos(plan, visits)
    days = charts.occupancy(plan, stands, visitors, event.timezone, only=day, visits=visits, local=local)
    used = {key for d in days for key in d.visitor_keys}
    return render_template("demonstrator/plan_occupancy.html", event=event, plan=plan, days=days,
                           visit_days=visit_days, day=day,
                           legend=[v for v in visitors.values() if v.key in used], day_label=_day_label,
                           lane=charts.LANE, label_width=charts.LABEL_WIDTH)


@bp.get("/<int:plan_id>/map")
@requires(Access.ORGANISER)
def routes_map(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    visits = views.visit_rows(plan)
    visitors = views.visitor_infos(plan, visits)
    # No choice yet (no "show", no "visitor"): one visitor's routes, not the whole summit's at once.
    chosen = "show" in request.args or "visitor" in request.args
    view = charts.route_map(plan, visitors, event.timezone, request.args.get("show", "all"), _day_label,
                            who=request.args.get("visitor", "") if chosen else None, visits=visits)
    return render_template("demonstrator/plan_map.html", event=event, plan=plan, map=view)
