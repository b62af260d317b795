"""Hand edits of a plan by the organiser: lock, move or remove a visit; a refusal says why, next to the visit."""
from __future__ import annotations

from datetime import time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.converters import ID_MAX
from app.core.params import parse_int
from app.core.timefmt import local_to_utc, to_local
from app.demonstrator.plans import editing, planning, views
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.plans.routes import (
    bp, error_message, page_of, plan_or_404, render_plan, status_of, visit_or_404,
)
from app.events.models import Event
from app.extensions import db


# -- hand edits -----------------------------------------------------------------------------------

def wants_json() -> bool:
    """The page's script asks for JSON (a small answer that updates the visitor in place)."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def visitor_fragment(event: Event, plan: VisitPlan, visitor_key: str) -> dict:
    """The visitor's block and the plan's figures as they are after an edit, for the page to put in place."""
    tz = event.timezone
    stands = views.stand_infos(plan)
    infos = views.visitor_infos(plan)
    groups, _idle = views.visitor_groups(plan, {visitor_key: infos[visitor_key]} if visitor_key in infos else {})
    context = dict(event=event, plan=plan, stands=stands, editable=True, error_visit=None, error=None,
                   move_visit=None, typed={}, number=views.number, summary=views.summary(plan, stands),
                   based_on=db.session.get(VisitPlan, plan.based_on_id) if plan.based_on_id else None,
                   local_time=lambda moment: f"{to_local(moment, tz):%H:%M}")
    html = "".join(render_template("demonstrator/_plan_visitor.html", g=g, **context)
                   for g in views.with_tours(plan, groups, tz))
    return {"visitor": visitor_key, "html": html,
            "figures_html": render_template("demonstrator/_plan_figures.html", **context),
            "edited_label": _("edited by hand") if (plan.figures or {}).get("edited") else ""}


def _edit(event: Event, plan: VisitPlan, visit: PlannedVisit, action, done: str, typed: dict | None = None):
    """Run one hand edit; back to the visitor's place on the plan, or the reason it was refused.

    Asked by the page's script (JSON), the answer is the visitor's block and the figures, or the refusal.
    """
    visitor_key, visit_id = visit.visitor_key, visit.id
    try:
        action()
    except planning.PlanningError as error:
        if wants_json():
            return {"ok": False, "error": error_message(error), "visit": visit_id}, status_of(error)
        plan = plan_or_404(event, plan.id)
        return render_plan(event, plan, error=error_message(error), error_visit=visit_id, typed=typed,
                            code=status_of(error))
    if wants_json():
        return {"ok": True, "message": done, **visitor_fragment(event, plan, visitor_key)}
    flash(done, "success")
    groups, _idle = views.visitor_groups(plan, views.visitor_infos(plan))
    return redirect(url_for("plans.plan", slug=event.slug, plan_id=plan.id, page=page_of(groups, visitor_key),
                            _anchor=f"visitor-{visitor_key}"))


def _set_locked(event: Event, plan: VisitPlan, visit: PlannedVisit, value: str | None):
    def action():
        if value not in ("0", "1"):
            raise planning.PlanningError("bad_lock", "locked")
        editing.set_locked(plan, visit.id, value == "1", actor_id=current_user.id)
    return _edit(event, plan, visit, action, _("The visit is locked: re-optimising keeps it at this time.")
                 if value == "1" else _("The visit is unlocked."))


def _remove(event: Event, plan: VisitPlan, visit: PlannedVisit):
    return _edit(event, plan, visit, lambda: editing.remove_visit(plan, visit.id, actor_id=current_user.id),
                 _("The visit is removed."))


@bp.post("/<int:plan_id>/visits/<int:visit_id>/lock")
@requires(Access.ORGANISER)
def lock(event: Event, plan_id: int, visit_id: int):
    plan = plan_or_404(event, plan_id)
    return _set_locked(event, plan, visit_or_404(plan, visit_id), request.form.get("locked"))


#: The buttons of the plan page's one edit form: a button's name is what it does, its value the visit's id.
EDIT_BUTTONS = ("lock", "unlock", "remove")


@bp.post("/<int:plan_id>/visits/edit")
@requires(Access.ORGANISER)
def edit(event: Event, plan_id: int):
    """Lock, unlock or remove the visit named by the button pressed (one form for all the visits of the page)."""
    plan = plan_or_404(event, plan_id)
    pressed = [name for name in EDIT_BUTTONS if name in request.form]
    if len(pressed) != 1:
        message = _("Choose one action: lock, unlock or remove a visit.")
        if wants_json():
            return {"ok": False, "error": message, "visit": None}, 400
        return render_plan(event, plan, error=message, code=400)
    visit_id = parse_int(request.form[pressed[0]], low=1, high=ID_MAX)
    if visit_id is None:
        abort(404)
    visit = visit_or_404(plan, visit_id)
    if pressed[0] == "remove":
        return _remove(event, plan, visit)
    return _set_locked(event, plan, visit, "1" if pressed[0] == "lock" else "0")


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
    return _remove(event, plan, visit_or_404(plan, visit_id))
