"""The program: rooms, sessions, the day grid, publication, attendees' agendas and the feeds."""
from __future__ import annotations

from flask import Flask

from app.program import attendance, cli, manage_routes, routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(manage_routes.bp)
    cli.init_app(app)
    attendance.init_app(app)
