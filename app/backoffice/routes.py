"""The organiser's landing pages: the editions they organise, and an edition's overview."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from app.backoffice import dashboard_charts
from app.backoffice.figures import dashboard as dashboard_figures
from app.core.access import Access, requires
from app.core.timefmt import utcnow
from app.events.models import Event
from app.events.services import door_events, manageable_events
from app.registrations.queries import registration_counts
from app.registrations.words import count_sentence

bp = Blueprint("backoffice", __name__, url_prefix="/manage", template_folder="templates")


@bp.app_context_processor
def navigation_context() -> dict:
    has_manage = current_user.is_authenticated and (current_user.is_staff or bool(manageable_events(current_user)))
    doors = door_events(current_user) if current_user.is_authenticated and not has_manage else []
    return {"has_manage_access": has_manage, "door_events": doors}


def organiser_landing(person) -> str | None:
    """An organiser lands on her edition when she organises one that is not over, else on the editions list;
    door staff land on the door of their newest edition."""
    events = manageable_events(person)
    if not events and not person.is_staff:
        doors = door_events(person)
        return url_for("badging.checkin", slug=doors[0].slug) if doors else None
    today = utcnow().date()
    coming = [event for event in events if event.ends_on >= today]
    if len(coming) == 1 and not person.is_staff:
        return url_for("backoffice.overview", slug=coming[0].slug)
    return url_for("backoffice.dashboard")


@bp.get("/")
@requires(Access.LOGIN)
def dashboard():
    events = manageable_events(current_user)
    if not events and not current_user.is_staff:
        doors = door_events(current_user)
        if doors:  # door staff only: straight to the door of their newest edition
            return redirect(url_for("badging.checkin", slug=doors[0].slug))
        abort(403)
    counts = registration_counts(event.id for event in events)
    return render_template("backoffice/dashboard.html", events=events, counts=counts, count_sentence=count_sentence)


@bp.get("/e/<slug>/")
@requires(Access.ORGANISER)
def overview(event: Event):
    """The edition's dashboard: its registrations by status and category, then charts of the registrations
    week by week (against the previous edition), the arrivals, the leads, the visit plan and the realised
    meetings, each with its figures in a table."""
    counts = registration_counts([event.id])[event.id]
    figures = dashboard_figures(event, current_user)
    return render_template("backoffice/overview.html", event=event, by_category=counts.by_category,
                           totals=counts.by_status, count_text=count_sentence(counts), figures=figures,
                           charts=dashboard_charts.charts(event, figures), point_label=dashboard_charts.point_label,
                           hour_label=dashboard_charts.hour_label)
