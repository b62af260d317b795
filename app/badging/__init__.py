"""Badges and the door: layouts, printing, tokens, check-in and arrivals."""
from __future__ import annotations

from flask import Flask

from app.badging import cli, job_labels, jobs, routes, services  # noqa: F401  (jobs: registers the print job's handler)
from app.events.services import add_clone_hook
from app.registrations.queries import add_search_hook


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(routes.public_bp)
    cli.init_app(app)
    job_labels.init_app(app)
    add_clone_hook(app, services.clone_layout)
    add_search_hook(app, services.short_code_search)
