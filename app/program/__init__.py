"""The program: rooms, sessions, the day grid, publication, attendees' agendas and the feeds."""
from __future__ import annotations

from flask import Flask

from app.events.services import add_clone_hook
from app.program import attendance, cli, manage_routes, routes, services


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(manage_routes.bp)
    cli.init_app(app)
    add_clone_hook(app, services.clone_rooms)
    attendance.init_app(app)
