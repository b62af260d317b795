"""Badge layout, printing and downloads; the door check-in and arrivals; an attendee's own badge."""
from __future__ import annotations

import json

import badges
from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.core.access import Access, requires
from app.core.images import ImageRefused
from app.core.images import refusal_text as image_refusal_text
from app.core.params import BadParameter, form_id
from app.core.security import READER_CSP
from app.badging import jobs  # (also registers the print job)
from app.badging import services
from app.badging.models import PrintRun
from app.core.sentences import gettext as _
from app.events.models import Event
from app.extensions import db
from app.jobs.services import start_job
from app.registrations.day_checks import days_text
from app.registrations.models import Delegation, Registration, RegistrationStatus
from app.registrations.queries import active_registration

bp = Blueprint("badging", __name__, url_prefix="/manage/e/<slug>/badges", template_folder="templates")
public_bp = Blueprint("badging_public", __name__, template_folder="templates")

MAX_UPLOAD = 20 * 1024 * 1024


def _pdf(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def error_message(error: services.BadgeError) -> str:
    return {
        "empty_selection": _("No confirmed registration matches this selection: nothing to print."),
        "unknown_category": _("Unknown category."),
        "unknown_delegation": _("Unknown delegation."),
        "unknown_sheet": _("Choose A6 or A4 (four badges per sheet)."),
        "not_confirmed": _("Only confirmed registrations have a badge."),
        "still_running": _("This print is still running: wait for it to stop before printing the rest."),
        "nothing_left": _("Every badge of this print is printed: there is nothing left to print."),
    }.get(error.code, error.code)


def _page(event: Event, *, errors: dict | None = None, status: int = 200, layout_json: str | None = None):
    layout = services.layout_for(event)
    delegations = db.session.scalars(select(Delegation).where(Delegation.event_id == event.id)
                                     .order_by(Delegation.name)).all()
    runs = db.session.scalars(select(PrintRun).where(PrintRun.event_id == event.id)
                              .order_by(PrintRun.id.desc()).limit(100)).all()
    data = badges.layout_to_dict(layout)
    return render_template("badging/index.html", event=event, layout=layout, delegations=delegations,
                           prints=recent_prints(event, runs),
                           boxes_json=layout_json if layout_json is not None else json.dumps(data.get("boxes", {}), indent=1),
                           errors=errors or {}), status


def recent_prints(event: Event, runs: list[PrintRun]) -> list[dict]:
    """The last ten prints: a single badge's run, or all the parts of a print job as one PDF."""
    prints, jobs_seen = [], set()
    for run in runs:
        if run.job_id is None:
            prints.append({"at": run.created_at, "num": run.num_badges, "sheet": run.selection.get("sheet"),
                           "url": url_for("badging.download", slug=event.slug, run_id=run.id)})
        elif run.job_id not in jobs_seen:
            jobs_seen.add(run.job_id)
            parts = [r for r in runs if r.job_id == run.job_id]
            prints.append({"at": parts[-1].created_at, "num": sum(r.num_badges for r in parts),
                           "sheet": run.selection.get("sheet"),
                           "url": url_for("badging.job_pdf", slug=event.slug, job_id=run.job_id)})
    return prints[:10]


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    return _page(event)


@bp.post("/layout")
@requires(Access.ORGANISER)
def save_layout(event: Event):
    form = request.form
    current = badges.layout_to_dict(services.layout_for(event))
    try:
        boxes = json.loads(form.get("boxes", "") or "{}")
    except json.JSONDecodeError as exc:
        return _page(event, errors={"boxes": _("The boxes are not valid JSON (line %(line)s).", line=exc.lineno)},
                     status=422, layout_json=form.get("boxes", ""))
    colors = {key[len("color-"):]: value for key, value in form.items() if key.startswith("color-")}
    data = {**current, "sheet": form.get("sheet", current.get("sheet", "a6")), "boxes": boxes,
            "colors": {**current.get("colors", {}), **colors}}
    upload = request.files.get("logo")
    logo = upload.read(MAX_UPLOAD + 1) if upload and upload.filename else None
    try:
        services.save_layout(event, data, logo=logo, remove_logo=form.get("remove_logo") == "y", actor_id=current_user.id)
    except badges.LayoutError as error:
        return _page(event, errors={error.box or "layout": str(error)}, status=422, layout_json=form.get("boxes", ""))
    except ImageRefused as refused:
        return _page(event, errors={"logo": image_refusal_text(refused)}, status=422,
                     layout_json=form.get("boxes", ""))
    flash(_("The badge layout is saved."), "success")
    return redirect(url_for("badging.index", slug=event.slug))


@bp.get("/preview.pdf")
@requires(Access.ORGANISER)
def preview(event: Event):
    sample = badges.BadgeRecord(token="b_preview-not-a-valid-badge", first_name="Marie-Hélène",
                                last_name="de La Tour-d'Auvergne", organisation="Ville de Nevers",
                                role="Maire adjointe", country_code="FR", country_name="France", category="elu",
                                category_label=_("Elected official"), event_name=event.name)
    return _pdf(badges.render([sample], services.layout_for(event)), "preview.pdf")


def _selection_from(form) -> services.Selection:
    return services.Selection(category=form.get("category", ""), delegation_id=form_id(form, "delegation"),
                              new_only=form.get("new_only") == "y")


@bp.post("/print")
@requires(Access.ORGANISER)
def print_selection(event: Event):
    sheet = request.form.get("sheet", "a6")
    try:
        selection = _selection_from(request.form)
    except BadParameter as error:
        return _page(event, errors={"print": error.description}, status=422)
    try:
        if sheet not in ("a6", "a4x4"):
            raise services.BadgeError("unknown_sheet")
        count = len(services.selected(event, selection))
        if count == 0:
            raise services.BadgeError("empty_selection")
    except services.BadgeError as error:
        return _page(event, errors={"print": error_message(error)}, status=422)
    job = start_job("print_badges", params={"selection": selection.as_dict(), "sheet": sheet}, event_id=event.id,
                    created_by_id=current_user.id)
    return redirect(url_for("jobs.show", slug=event.slug, job_id=job.id))


@bp.get("/runs/<int:run_id>.pdf")
@requires(Access.ORGANISER)
def download(event: Event, run_id: int):
    run = db.session.get(PrintRun, run_id)
    if run is None or run.event_id != event.id:
        abort(404)
    return _pdf(run.pdf, f"{event.slug}-badges-{run.id}.pdf")


@bp.get("/jobs/<int:job_id>.pdf")
@requires(Access.ORGANISER)
def job_pdf(event: Event, job_id: int):
    """The badges a print job stored, in one PDF (all of them, or those printed before it stopped)."""
    body = jobs.job_pdf(event, job_id)
    if body is None:
        abort(404)
    return _pdf(body, f"{event.slug}-badges-job-{job_id}.pdf")


@bp.post("/jobs/<int:job_id>/rest")
@requires(Access.ORGANISER)
def print_rest(event: Event, job_id: int):
    """Print what a stopped print job did not: the badges it stored are not printed again."""
    try:
        job = jobs.print_rest(event, job_id, actor_id=current_user.id)
    except services.BadgeError as error:
        if error.code == "unknown_job":
            abort(404)
        flash(error_message(error), "error")
        return redirect(url_for("jobs.show", slug=event.slug, job_id=job_id))
    return redirect(url_for("jobs.show", slug=event.slug, job_id=job.id))


@bp.post("/registrations/<int:registration_id>/reprint")
@requires(Access.ORGANISER)
def reprint(event: Event, registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    try:
        run = services.reprint(registration, actor_id=current_user.id)
    except services.BadgeError as error:  # not_confirmed
        abort(409, error_message(error))
    return _pdf(run.pdf, f"badge-{registration.id}.pdf")


@bp.route("/checkin", methods=["GET", "POST"])
@requires(Access.DOOR)
def checkin(event: Event):
    result = None
    if request.method == "POST":
        result = services.check_in(event, request.form.get("code", ""), staff_id=current_user.id,
                                   place=request.form.get("place", ""))
    status = 200 if result is None or result.outcome != "refused" else 422
    response = make_response(render_template("badging/checkin.html", event=event, result=result,
                                             place=request.form.get("place", "")), status)
    response.headers["Content-Security-Policy"] = READER_CSP  # the camera's QR reader (static/barcode-reader.js)
    return response


@bp.get("/arrivals")
@requires(Access.DOOR)
def arrivals(event: Event):
    by_hour, by_category, total, confirmed = services.arrivals(event)
    return render_template("badging/arrivals.html", event=event, by_hour=by_hour, by_category=by_category,
                           total=total, confirmed=confirmed, peak=max((n for _, n in by_hour), default=0))


def _my_confirmed_registration(event: Event) -> Registration:
    registration = active_registration(event.id, current_user.id)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        abort(403, _("Your badge is available once your registration is confirmed."))
    return registration


@public_bp.get("/e/<slug>/badge.pdf")
@requires(Access.ATTENDEE)
def my_badge(event: Event):
    body = services.own_badge(_my_confirmed_registration(event))
    return _pdf(body, f"{event.slug}-badge.pdf")


@public_bp.get("/e/<slug>/badge")
@requires(Access.ATTENDEE)
def my_badge_page(event: Event):
    """The badge's content as a page (its accessible version: the PDF is not tagged, see badges.documents)."""
    registration = _my_confirmed_registration(event)
    return render_template("badging/my_badge.html", event=event, badge=services.own_badge_record(registration),
                           badge_language=services.badge_language(event), days=days_text(registration))
