"""The demonstrator: a hall of startup stands through which officials are led on planned visit routes.

Four rooms, each building on the ones before it (the import contract in `.importlinter` says so):

- `hall/`: the layout (stands, entrances, the floor plan), who holds which stand when, closures,
  tour slots and the planning settings;
- `wishes/`: who is routed and when they are free, wishes on both sides, scores and availability;
- `plans/`: the optimiser's problem, planning jobs, plan pages, hand edits and publishing, and what
  people get from the published plan (routes, briefings, guides' sheets, calendar entries);
- `realised/`: planned against realised meetings, from the stands' badge scans.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app
from flask_babel import lazy_gettext as _l

from app.demonstrator.hall import cloning as hall_cloning
from app.demonstrator.hall import routes as hall_routes
from app.demonstrator.hall import settings_routes as hall_settings_routes  # noqa: F401  (adds its views to hall.bp)
from app.demonstrator.plans import attendance as visit_attendance
from app.demonstrator.plans import calendar as visit_calendar
from app.demonstrator.plans import chart_routes, edit_routes  # noqa: F401  (add their views to plans.bp)
from app.demonstrator.plans import job_labels as plan_job_labels
from app.demonstrator.plans import routes as plan_routes
from app.demonstrator.plans import visit_routes
from app.demonstrator.plans.cli import visits_cli
from app.demonstrator.realised import cli as realised_cli  # noqa: F401  (adds `visits realised`)
from app.demonstrator.realised import routes as realised_routes
from app.demonstrator.wishes import availability_routes  # noqa: F401  (adds its views to wishes_manage)
from app.demonstrator.wishes import routes as wish_routes
from app.events.services import add_clone_hook
from app.program.calendar_sources import CalendarSource, add_calendar_source
from app.registrations.day_checks import add_day_check

#: Lends the templates the rooms share (the sub-navigation) to the app; it has no routes.
bp = Blueprint("demonstrator", __name__, template_folder="templates")

#: The demonstrator's pages for organisers, in the order of the sub-navigation; pages of blueprints
#: that are not registered are left out.
NAV = [("hall.index", _l("Hall and stands")), ("hall.slots", _l("Visit windows")),
       ("wishes_manage.index", _l("Wishes and scores")), ("wishes_manage.availability", _l("Availability")),
       ("plans.index", _l("Visit plans")), ("visit_sheets.index", _l("Route sheets")),
       ("realised.index", _l("Planned and realised"))]


def demonstrator_nav() -> dict:
    def links() -> list[tuple[str, str]]:
        return [(endpoint, label) for endpoint, label in NAV if endpoint in current_app.view_functions]
    return {"demonstrator_nav": links}


def init_app(app: Flask) -> None:
    for blueprint in (bp, hall_routes.bp, wish_routes.bp, wish_routes.manage_bp, plan_routes.bp, visit_routes.bp,
                      visit_routes.sheets_bp, realised_routes.bp):
        app.register_blueprint(blueprint)
    app.context_processor(demonstrator_nav)
    app.cli.add_command(visits_cli)
    plan_job_labels.init_app(app)
    add_clone_hook(app, hall_cloning.clone_hall)
    add_calendar_source(app, CalendarSource(items=visit_calendar.calendar_items, page_url=visit_calendar.page_url))
    add_day_check(app, visit_attendance.off_day_visits)
