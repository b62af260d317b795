"""Badges and the door: layouts, printing, tokens, check-in and arrivals."""
from __future__ import annotations

from flask import Flask

from app.badging import cli, jobs, routes  # noqa: F401  (jobs: registers the print job's handler)


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(routes.public_bp)
    cli.init_app(app)
