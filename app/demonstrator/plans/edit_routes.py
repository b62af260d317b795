"""Hand edits of a plan by the organiser: lock, move or remove a visit; a refusal says why, next to the visit."""
from __future__ import annotations

from datetime import time

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.timefmt import local_to_utc, to_local
from app.demonstrator.plans import editing, planning, views
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.plans.routes import (
    bp, error_message, page_of, plan_or_404, render_plan, status_of, visit_or_404,
)
from app.events.models import Event


# -- hand edits -----------------------------------------------------------------------------------

def _edit(event: Event, plan: VisitPlan, visit: PlannedVisit, action, done: str, typed: dict | None = None):
    """Run one hand edit; back to the visitor's place on the plan, or the reason it was refused."""
    visitor_key, visit_id = visit.visitor_key, visit.id
    try:
        action()
    except planning.PlanningError as error:
        plan = plan_or_404(event, plan.id)
        return render_plan(event, plan, error=error_message(error), error_visit=visit_id, typed=typed,
                            code=status_of(error))
    flash(done, "success")
    groups, _idle = views.visits_by_visitor(plan, views.visitor_infos(plan), event.timezone)
    return redirect(url_for("plans.plan", slug=event.slug, plan_id=plan.id, page=page_of(groups, visitor_key),
                            _anchor=f"visitor-{visitor_key}"))


@bp.post("/<int:plan_id>/visits/<int:visit_id>/lock")
@requires(Access.ORGANISER)
def lock(event: Event, plan_id: int, visit_id: int):
    plan = plan_or_404(event, plan_id)
    visit = visit_or_404(plan, visit_id)
    value = request.form.get("locked")

    def action():
        if value not in ("0", "1"):
            raise planning.PlanningError("bad_lock", "locked")
        editing.set_locked(plan, visit.id, value == "1", actor_id=current_user.id)
    return _edit(event, plan, visit, action, _("The visit is locked: re-optimising keeps it at this time.")
                 if value == "1" else _("The visit is unlocked."))


@bp.post("/<int:plan_id>/visits/<int:visit_id>/move")
@requires(Access.ORGANISER)
def move(event: Event, plan_id: int, visit_id: int):
    plan = plan_or_404(event, plan_id)
    visit = visit_or_404(plan, visit_id)
    raw = (request.form.get("time") or "").strip()
    stand_key = (request.form.get("stand") or "").strip() or None

    def action():
        try:
            at = time.fromisoformat(raw.zfill(5)) if raw else None
        except ValueError:
            at = None
        if at is None:
            raise planning.PlanningError("bad_time", "time")
        day = to_local(visit.starts_at, event.timezone).date()
        editing.move_visit(plan, visit.id, starts_at=local_to_utc(day, at, event.timezone), stand_key=stand_key,
                            actor_id=current_user.id)
    return _edit(event, plan, visit, action, _("The visit is moved."), typed={"time": raw, "stand": stand_key})


@bp.post("/<int:plan_id>/visits/<int:visit_id>/remove")
@requires(Access.ORGANISER)
def remove(event: Event, plan_id: int, visit_id: int):
    plan = plan_or_404(event, plan_id)
    visit = visit_or_404(plan, visit_id)
    return _edit(event, plan, visit, lambda: editing.remove_visit(plan, visit.id, actor_id=current_user.id),
                 _("The visit is removed."))


