"""What people get from the published plan: an official's route, a startup's briefing, guides' sheets."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.timefmt import format_moment
from app.demonstrator.plans import hall_map, itinerary, sheet_jobs, sheets, tour_list
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES
from app.events.models import Event
from app.program import agenda, attendance, feeds
from app.registrations.day_checks import days_text
from app.registrations.models import Registration
from app.registrations.queries import active_registration

bp = Blueprint("visits", __name__, template_folder="templates")
sheets_bp = Blueprint("visit_sheets", __name__, url_prefix="/manage/e/<slug>/demonstrator/sheets",
                      template_folder="templates")


def _my_registration(event: Event) -> Registration:
    registration = active_registration(event.id, current_user.id)
    if registration is None:
        abort(403)
    return registration


def _locale() -> str:
    return str(get_locale() or "fr")


@bp.get("/e/<slug>/demonstrator/route")
@requires(Access.ATTENDEE)
def route(event: Event):
    registration = _my_registration(event)
    if itinerary.startup_of(registration) is not None:
        return redirect(url_for("visits.briefing", slug=event.slug))
    token = feeds.current_token(registration)
    return render_template("demonstrator/route.html", event=event, registration=registration,
                           route=itinerary.route(registration), token=token, locale=_locale(),
                           routed=registration.category.code in VISITOR_CATEGORIES, my_days=days_text(registration),
                           num_off_day_items=len(attendance.off_day_entries(registration, agenda.entries(registration))))


@bp.get("/e/<slug>/demonstrator/briefing")
@requires(Access.ATTENDEE)
def briefing(event: Event):
    registration = _my_registration(event)
    startup = itinerary.startup_of(registration)
    if startup is None:
        abort(403)  # a briefing is a startup's page
    plan, stops = itinerary.briefing(startup)
    token = feeds.current_token(registration)
    return render_template("demonstrator/briefing.html", event=event, startup=startup, plan=plan,
                           days=itinerary.stops_by_day(event, stops), num_visits=len(stops), token=token,
                           locale=_locale())


# -- guides' route sheets (organisers) ---------------------------------------------------------------

@sheets_bp.get("")
@requires(Access.ORGANISER)
def index(event: Event):
    plan = itinerary.published(event.id)
    tours = tour_list.tour_rows(event, plan.id) if plan else []  # light rows: thousands of visits on a summit
    times: dict = {}

    def hm(moment) -> str:  # tours share their times: each is formatted once
        if moment not in times:
            times[moment] = format_moment(moment, event.timezone, "time")
        return times[moment]

    return render_template("demonstrator/visit_sheets.html", event=event, plan=plan, hm=hm,
                           days=itinerary.by_day(tours), prints=sheet_jobs.last_prints(event, plan.id) if plan else {},
                           locale=_locale())


def _pdf(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"})


def _no_plan(event: Event) -> Response:
    flash(_("No visit plan is published yet: there is no route sheet to print."), "error")
    return redirect(url_for("visit_sheets.index", slug=event.slug))


@sheets_bp.post("/<day>/print")
@requires(Access.ORGANISER)
def print_day(event: Event, day: str):
    """Start the job that draws every sheet of the day (seconds on a summit): its page shows how far it got."""
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    try:
        job = sheet_jobs.start(event, wanted, actor_id=current_user.id)
    except sheet_jobs.SheetsError as error:
        if error.code == "no_plan":
            return _no_plan(event)
        flash(_("The published plan has no tour on %(day)s.", day=day), "error")
        return redirect(url_for("visit_sheets.index", slug=event.slug))
    return redirect(url_for("jobs.show", slug=event.slug, job_id=job.id))


@sheets_bp.get("/jobs/<int:sheets_job_id>.pdf")
@requires(Access.ORGANISER)
def job_pdf(event: Event, sheets_job_id: int):
    """The sheets a day's job drew, in one PDF."""
    body = sheet_jobs.job_pdf(event, sheets_job_id)
    if body is None:
        abort(404)
    return _pdf(body, f"{event.slug}-parcours-{sheets_job_id}.pdf")


@sheets_bp.get("/<visitor_key>/<int:tour>.pdf")
@requires(Access.ORGANISER)
def tour_pdf(event: Event, visitor_key: str, tour: int):
    plan = itinerary.published(event.id)
    if plan is None:
        return _no_plan(event)
    hall = hall_map.hall_map(event, with_image=True)
    found = itinerary.plan_tours(event, hall=hall, visitor_key=visitor_key, tour=tour)
    if not found:
        abort(404)
    return _pdf(sheets.render(event, found, hall, version=plan.version),
                f"{event.slug}-parcours-{visitor_key}-{tour + 1}.pdf")


# Each sheet as a page: its accessible version (the PDFs are not tagged, see badges.documents), the same tour.
# A day's sheets are these pages one after the other, as the day's PDF is: no page of a whole day (a thousand
# stops drawn in a request), the sheets list links each.

def _sheet_page(event: Event, tours: list, plan, hall):
    return render_template("demonstrator/visit_sheet_page.html", event=event, plan=plan,
                           sheet_meeting_line=sheets.meeting_line,
                           sheet_table_line=lambda meeting, tour: sheets.table_meeting_line(event, meeting, tour),
                           tours=[
        (tour, sheets.when_line(event, tour), [itinerary.member_line(m) for m in tour.unit.members],
         sheets.checklist(event, tour, hall)) for tour in tours])


@sheets_bp.get("/<visitor_key>/<int:tour>.html")
@requires(Access.ORGANISER)
def tour_page(event: Event, visitor_key: str, tour: int):
    plan = itinerary.published(event.id)
    if plan is None:
        return _no_plan(event)
    hall = hall_map.hall_map(event)
    found = itinerary.plan_tours(event, hall=hall, visitor_key=visitor_key, tour=tour)
    if not found:
        abort(404)
    return _sheet_page(event, found, plan, hall)
