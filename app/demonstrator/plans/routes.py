"""The organiser's visit plans: compute them as a job, follow the computation, read the figures,
re-optimise, publish. Hand edits are in edit_routes.py; the charts and documents in chart_routes.py.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from app.core.access import Access, requires
from app.core.params import query_id, query_int
from app.core.sentences import gettext as _, ngettext
from app.core.timefmt import to_local, utcnow
from app.demonstrator.plans import editing, notify, planning
from app.demonstrator.plans import views
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job

bp = Blueprint("plans", __name__, url_prefix="/manage/e/<slug>/demonstrator/plans", template_folder="templates")

STATUS_NAMES = {
    PlanStatus.COMPUTING: _l("Computing"),
    PlanStatus.DRAFT: _l("Draft"),
    PlanStatus.PUBLISHED: _l("Published"),
    PlanStatus.SUPERSEDED: _l("Superseded"),
    PlanStatus.FAILED: _l("Failed"),
}
ORIGIN_NAMES = {
    "plan": _l("Full computation"),
    "replan": _l("Re-optimisation"),
    "day": _l("Rest of the day"),
}
#: What each rule of the routing checker means for the organiser who tried the edit.
RULE_MESSAGES = {
    "window": _l("The stand is not open for the whole visit at that time."),
    "timing": _l("The visitor cannot be there in time: with the walking between stands, this visit would "
                 "overlap the one before or after, or the tour would end too late."),
    "duplicate": _l("This visitor already visits that stand."),
    "max_visits_visitor": _l("This visitor would have more visits than allowed."),
    "max_visits_stand": _l("That stand would receive more visits than its maximum."),
    "capacity": _l("The stand is already full at that time: it takes no more groups at once."),
    "locked": _l("A locked visit would no longer be where it was locked."),
    "required": _l("This visit is a meeting both sides asked for: it stays on the visitor's route, within its "
                   "window."),
}


@bp.app_context_processor
def plan_labels() -> dict:
    return {"PLAN_STATUS_NAMES": STATUS_NAMES, "PLAN_ORIGIN_NAMES": ORIGIN_NAMES}


def error_message(error: planning.PlanningError) -> str:
    """A refusal of the planning service in plain words."""
    code, params = error.code, error.params
    if code == "breaks_rule":
        reason = RULE_MESSAGES.get(params.get("kind"), _("The plan would break a rule."))
        return _("Refused: %(reason)s (Checker: %(detail)s)", reason=reason, detail=params.get("detail", ""))
    messages = {
        "already_running": _("A computation is already running for this edition: wait for it to finish or "
                             "cancel it before starting another."),
        "no_visitors": _("Nobody can be routed: no confirmed official or decision maker attends a day with "
                         "tour slots (or all of them opted out)."),
        "no_stands": _("No stand can be visited: no stand is held by a confirmed startup while open."),
        "invalid_locks": _("The locked visits cannot all hold together: %(detail)s", detail=params.get("detail", "")),
        "bad_time_limit": _("The time limit must be a number of seconds between %(low)s and %(high)s.",
                            low=params.get("low", planning.MIN_TIME_LIMIT), high=params.get("high", planning.MAX_TIME_LIMIT)),
        "nothing_to_replan": _("There is no plan to start from: compute or publish one first."),
        "not_running": _("This plan is not being computed: there is nothing to cancel."),
        "not_editable": _("Only a draft or the published plan can be edited."),
        "unknown_visit": _("This visit is not part of this plan."),
        "visit_locked": _("This visit is locked: unlock it before moving or removing it."),
        "visit_required": _("This visit is a meeting both sides asked for: it cannot be removed from the route "
                            "(the meeting is cancelled from the meetings' pages)."),
        "unknown_stand": _("Unknown stand: %(stand)s.", stand=params.get("stand", "")),
        "outside_tours": _("This time is outside the visitor's tours: the whole visit must fit within one of them."),
        "not_publishable": _("Only a computed plan (a draft) can be published."),
        "bad_time": _("Write the new time as HH:MM, for example 10:40."),
        "bad_lock": _("Say whether to lock or unlock the visit."),
        "day_needs_published": _("Only the published plan can be re-planned for the rest of the day."),
    }
    return messages.get(code, code)


#: Refusals about the state of things rather than about what was typed.
CONFLICTS = {"already_running", "not_running", "not_editable", "visit_locked", "visit_required", "not_publishable",
             "nothing_to_replan", "day_needs_published"}


def status_of(error: planning.PlanningError) -> int:
    return 409 if error.code in CONFLICTS else 422


def plan_or_404(event: Event, plan_id: int) -> VisitPlan:
    try:
        return planning.get_plan(event, plan_id)
    except planning.PlanningError:
        abort(404)


def visit_or_404(plan: VisitPlan, visit_id: int) -> PlannedVisit:
    visit = db.session.get(PlannedVisit, visit_id)
    if visit is None or visit.plan_id != plan.id:
        abort(404)
    return visit


def _time_limit(raw: str | None) -> float:
    try:
        value = float((raw or "").replace(",", "."))
    except ValueError:
        value = float("nan")
    if not (planning.MIN_TIME_LIMIT <= value <= planning.MAX_TIME_LIMIT):
        raise planning.PlanningError("bad_time_limit", "time_limit", low=planning.MIN_TIME_LIMIT,
                                     high=planning.MAX_TIME_LIMIT)
    return value


def _refresh_running(event: Event) -> None:
    """A plan whose computation is gone shows its best plan (or as failed), not as computing for ever."""
    before = db.session.scalar(select(func.count()).where(VisitPlan.event_id == event.id,
                                                         VisitPlan.status == PlanStatus.COMPUTING))
    if before:
        planning.refresh_running(event)


# -- the list and a new computation ---------------------------------------------------------------

def _render_index(event: Event, *, error: str | None = None, time_limit=None, code: int = 200):
    _refresh_running(event)
    plans = planning.plans(event)
    return render_template("demonstrator/plan_index.html", event=event, plans=plans, error=error,
                           time_limit=time_limit if time_limit is not None else planning.DEFAULT_TIME_LIMIT,
                           low=planning.MIN_TIME_LIMIT, high=planning.MAX_TIME_LIMIT,
                           running=planning.running_plan(event), published=planning.published_plan(event),
                           gaps={p.id: views.gap_percent(p.figures.get("objective"), p.figures.get("bound"))
                                 for p in plans}, number=views.number, quality_short=views.quality_short), code


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    return _render_index(event)


@bp.post("/compute")
@requires(Access.ORGANISER)
def compute(event: Event):
    raw = request.form.get("time_limit", "")
    afresh = request.form.get("afresh") == "1"
    try:
        plan = planning.request_plan(event, planning.new_plan_request(event, _time_limit(raw), afresh=afresh),
                                     actor_id=current_user.id)
    except planning.PlanningError as error:
        return _render_index(event, error=error_message(error), time_limit=raw, code=status_of(error))
    flash(_("Version %(version)d is being computed.", version=plan.version) if plan.status == PlanStatus.COMPUTING
          else _("Version %(version)d is computed.", version=plan.version), "success")
    return redirect(url_for("plans.plan", slug=event.slug, plan_id=plan.id))


# -- one plan -------------------------------------------------------------------------------------

#: Visitors per page of a plan: the demo summit routes 250 officials in about 100 groups.
VISITORS_PER_PAGE = 20


def page_of(groups: list[views.VisitorRows], visitor_key: str | None) -> int | None:
    for index, group in enumerate(groups):
        if group.info.key == visitor_key:
            return index // VISITORS_PER_PAGE + 1
    return None


def render_plan(event: Event, plan: VisitPlan, *, error: str | None = None, error_visit: int | None = None,
                 typed: dict | None = None, code: int = 200):
    """The plan page; a refused edit shows its reason next to the visit, with what was typed.

    Only the visitors of the page are loaded with their visits; `?move=<visit id>` opens that visit's
    move form (the page's script opens it in place instead).
    """
    tz = event.timezone
    if plan.status == PlanStatus.COMPUTING:
        _refresh_running(event)
    stands = views.stand_infos(plan)
    groups, idle = views.visitor_groups(plan, views.visitor_infos(plan))
    shown_visitor = request.args.get("visitor", "")
    if shown_visitor not in {g.info.key for g in groups}:
        shown_visitor = ""
    pages = max(1, -(-len(groups) // VISITORS_PER_PAGE))
    page = min(query_int(request.args, "page", default=1, high=100_000), pages)
    move_visit = query_id(request.args, "move")
    if error_visit is not None:
        move_visit = error_visit
        visit = db.session.get(PlannedVisit, error_visit)
        page = page_of(groups, visit.visitor_key if visit else None) or page
    shown = [g for g in groups if g.info.key == shown_visitor] if shown_visitor else \
        groups[(page - 1) * VISITORS_PER_PAGE: page * VISITORS_PER_PAGE]
    based_on = db.session.get(VisitPlan, plan.based_on_id) if plan.based_on_id else None
    published = planning.published_plan(event)
    # Before publishing a draft: what it would change against the published plan (as the confirmation says).
    changes = notify.preview(plan) if plan.status == PlanStatus.DRAFT and published is not None else None
    return render_template(
        "demonstrator/plan_detail.html", event=event, plan=plan, error=error, error_visit=error_visit,
        typed=typed or {}, summary=views.summary(plan, stands), groups=views.with_tours(plan, shown, tz),
        all_groups=groups, idle=idle, stands=stands, shown_visitor=shown_visitor, page=page, pages=pages,
        move_visit=move_visit, stand_choices=views.stand_choices(plan, stands), progress=_progress(plan),
        number=views.number, published=published, based_on=based_on, changes=changes,
        running=planning.running_plan(event), time_limit=plan.time_limit or planning.DEFAULT_TIME_LIMIT,
        day_time_limit=planning.DAY_TIME_LIMIT,
        low=planning.MIN_TIME_LIMIT, high=planning.MAX_TIME_LIMIT,
        local_time=lambda moment: f"{to_local(moment, tz):%H:%M}"), code


@bp.get("/<int:plan_id>")
@requires(Access.ORGANISER)
def plan(event: Event, plan_id: int):
    return render_plan(event, plan_or_404(event, plan_id))


def _progress(plan: VisitPlan) -> dict:
    figures = plan.figures or {}
    job = db.session.get(Job, plan.job_id) if plan.job_id else None
    elapsed = figures.get("elapsed") if plan.status == PlanStatus.COMPUTING else figures.get("seconds")
    elapsed = float(elapsed or 0.0)
    limit = float(plan.time_limit or planning.DEFAULT_TIME_LIMIT)
    best = figures.get("best") if plan.status == PlanStatus.COMPUTING else figures.get("objective")
    bound = figures.get("bound")
    return {
        "id": plan.id, "version": plan.version, "status": plan.status.value,
        "status_label": str(STATUS_NAMES[plan.status]), "time_limit": limit, "elapsed": elapsed,
        "fraction": round(min(1.0, elapsed / limit), 3) if limit else 0.0,
        "best": best, "bound": bound,
        "best_text": views.number(best), "bound_text": views.number(bound),
        "elapsed_text": views.number(elapsed, 1),
        "gap": views.gap_percent(best, bound), "gap_text": views.gap_words(views.gap_percent(best, bound)),
        "quality_text": views.quality_words(views.gap_percent(best, bound)),
        "figures": figures, "error": plan.error or "",
        "job": None if job is None else {"id": job.id, "status": job.status.value, "progress": job.progress,
                                         "message": job.message, "cancel_requested": job.cancel_requested},
    }


@bp.get("/<int:plan_id>/progress.json")
@requires(Access.ORGANISER)
def progress(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    if plan.status == PlanStatus.COMPUTING:
        _refresh_running(event)
    return _progress(plan)


@bp.post("/<int:plan_id>/cancel")
@requires(Access.ORGANISER)
def cancel(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    try:
        outcome = planning.cancel(plan, actor_id=current_user.id)
    except planning.PlanningError as error:
        # Most often the computation finished while the button was being clicked: say so on the plan.
        flash(error_message(error), "error")
    else:
        flash({planning.STOPPING: _("Stopping: the best plan found so far is kept."),
               planning.KEPT: _("The computation had stopped answering: the best plan it found is kept as a draft."),
               planning.ENDED: _("The computation is stopped. It had not found a plan yet, so there is nothing to "
                                 "keep.")}[outcome], "success")
    return redirect(url_for("plans.plan", slug=event.slug, plan_id=plan.id))


def _start(event: Event, plan: VisitPlan, request_: planning.PlanRequest):
    try:
        new = planning.request_plan(event, request_, actor_id=current_user.id)
    except planning.PlanningError as error:
        return render_plan(event, plan, error=error_message(error), code=status_of(error))
    flash(_("Version %(version)d is being computed.", version=new.version) if new.status == PlanStatus.COMPUTING
          else _("Version %(version)d is computed.", version=new.version), "success")
    return redirect(url_for("plans.plan", slug=event.slug, plan_id=new.id))


@bp.post("/<int:plan_id>/replan")
@requires(Access.ORGANISER)
def replan(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    try:
        limit = _time_limit(request.form.get("time_limit"))
    except planning.PlanningError as error:
        return render_plan(event, plan, error=error_message(error), code=422)
    return _start(event, plan, planning.PlanRequest(origin="replan", time_limit=limit, base_plan_id=plan.id))


@bp.post("/<int:plan_id>/rest-of-day")
@requires(Access.ORGANISER)
def rest_of_day(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    try:
        limit = _time_limit(request.form.get("time_limit"))
        if plan.status != PlanStatus.PUBLISHED:
            raise planning.PlanningError("day_needs_published")
    except planning.PlanningError as error:
        return render_plan(event, plan, error=error_message(error), code=status_of(error))
    return _start(event, plan, planning.PlanRequest(origin="day", time_limit=limit, after=utcnow()))


@bp.get("/<int:plan_id>/publish")
@requires(Access.ORGANISER)
def publish_confirm(event: Event, plan_id: int):
    """Before the click: what publishing this version changes and how many people get an e-mail."""
    plan = plan_or_404(event, plan_id)
    if plan.status != PlanStatus.DRAFT:
        return redirect(url_for("plans.plan", slug=event.slug, plan_id=plan.id))
    return render_template("demonstrator/plan_publish.html", event=event, plan=plan,
                           changes=notify.preview(plan), published=planning.published_plan(event))


@bp.post("/<int:plan_id>/publish")
@requires(Access.ORGANISER)
def publish(event: Event, plan_id: int):
    plan = plan_or_404(event, plan_id)
    try:
        found = editing.publish(plan, actor_id=current_user.id)
    except planning.PlanningError as error:
        return render_plan(event, plan, error=error_message(error), code=status_of(error))
    flash(ngettext("Version %(version)d is published: it is everyone's itinerary now. %(num)d person will be told "
                   "by e-mail (%(routes)d routes or briefings changed): the e-mails are being sent in the background.",
                   "Version %(version)d is published: it is everyone's itinerary now. %(num)d people will be told "
                   "by e-mail (%(routes)d routes or briefings changed): the e-mails are being sent in the background.",
                   found.num_people, version=plan.version, routes=found.num_routes + found.num_briefings),
          "success")
    return redirect(url_for("plans.plan", slug=event.slug, plan_id=plan.id))
