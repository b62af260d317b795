"""Editions of the summit: their pages, setup, categories, themes and organisers."""
from __future__ import annotations

from flask import Flask

from app.core.access import set_edition_loader
from app.events import cli, routes, services, team_routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(routes.manage_bp)
    app.register_blueprint(team_routes.bp)
    cli.init_app(app)
    set_edition_loader(app, services.edition_by_slug)
