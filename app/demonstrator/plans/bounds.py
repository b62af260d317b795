"""A stored plan's tighter bound: once the plan is committed (organisers can read it), routing.tight_bound spends
at most the plan's own search time on a bound that knows the stands' capacity hour by hour and the tours' whole
visits, which the search's quick bound does not; the plan keeps the lower of the two. PLAN_BOUND_SECONDS caps that
time (a second in the tests).

Only a figure is at stake: a bound that fails is logged and the plan stays as it was stored; a worker that dies
meanwhile loses this figure, not the plan (already committed).
"""
from __future__ import annotations

import logging

import routing
from flask import current_app

from app.core.transaction import atomic
from app.demonstrator.plans.models import VisitPlan
from app.extensions import db

log = logging.getLogger(__name__)


def refine(plan_id: int) -> dict | None:
    """Refine the bound of the stored plan `plan_id`; returns its figures (None if there is nothing to refine)."""
    plan = db.session.get(VisitPlan, plan_id)
    if plan is None or plan.figures.get("objective") is None:
        return None
    objective = float(plan.figures["objective"])
    known = plan.figures.get("bound")
    if known is not None and known <= objective + 1e-6 * max(1.0, abs(objective)):
        return plan.figures  # the search proved its plan the best there is: no bound can say more
    seconds = min(float(plan.figures.get("seconds") or plan.time_limit), float(plan.time_limit),
                  float(current_app.config["PLAN_BOUND_SECONDS"]))
    if seconds <= 0:
        return plan.figures
    try:
        report = routing.tight_bound(routing.parse_problem(plan.problem), time_limit=seconds, target=objective)
    except Exception:  # noqa: BLE001 - the plan is stored; only its bound figure would be missing
        log.exception("plan %s: the tight bound failed; the search's bound is kept", plan_id)
        return plan.figures
    if report.value is None:
        return plan.figures
    if report.value < objective - 1e-6 * max(1.0, abs(objective)):
        log.error("plan %s: tight bound %s below the plan's value %s; not kept", plan_id, report.value, objective)
        return plan.figures
    with atomic():
        plan = db.session.get(VisitPlan, plan_id)
        known = plan.figures.get("bound")
        if known is None or report.value < known:
            plan.figures = {**plan.figures, "bound": round(max(report.value, objective), 4),
                            "bound_seconds": round(report.seconds, 2)}
    return plan.figures
