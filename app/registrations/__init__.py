"""Registrations to an edition: the public form, the organiser's back office, delegations, imports."""
from __future__ import annotations

from flask import Flask

from app.auth.landing import ATTENDEE, add_landing
from app.core.access import add_role_provider
from app.registrations import imports, levels, manage_routes, routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(manage_routes.manage_bp)
    imports.init_app(app)
    add_role_provider(app, levels.attendee_levels)
    add_landing(app, routes.attendee_landing, rank=ATTENDEE)
