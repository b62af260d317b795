"""The organisers' view of every stand's contacts, and their export."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app.core.access import Access, requires
from app.events.models import Event
from app.leads import services
from app.leads.routes import export_response, filters_from
from app.registrations.models import Registration
from app.registrations.queries import confirmed_startups

bp = Blueprint("leads_manage", __name__, url_prefix="/manage/e/<slug>/contacts", template_folder="templates")

PAGE_LIMIT = 500


def _selected_stand(event: Event, stands: list[Registration]) -> Registration | None:
    wanted = request.args.get("stand", "")
    return next((s for s in stands if str(s.id) == wanted), None)


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    stands = confirmed_startups(event)
    stand = _selected_stand(event, stands)
    filters = filters_from(request.args)
    leads = services.contacts(event, stand=stand, filters=filters)
    return render_template("leads/manage_contacts.html", event=event, stands=stands, stand=stand, filters=filters,
                           total=len(leads), leads=leads[:PAGE_LIMIT],
                           views={lead.id: services.contact_view(lead) for lead in leads[:PAGE_LIMIT]},
                           stand_name=services.stand_name)


@bp.get("/export.<fmt>")
@requires(Access.ORGANISER)
def export(event: Event, fmt: str):
    stand = _selected_stand(event, confirmed_startups(event))
    leads = services.contacts(event, stand=stand, filters=filters_from(request.args))
    return export_response(event, leads, fmt, f"{event.slug}-contacts-all" if stand is None else
                           f"{event.slug}-contacts-{stand.id}", stand=stand)
