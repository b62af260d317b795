"""Accounts, login and the roles people hold in an edition."""
from __future__ import annotations

from flask import Flask

from app.auth import levels, routes, services, tasks  # noqa: F401  (tasks: registers the reset-link task with huey)
from app.core.access import add_role_provider


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    add_role_provider(app, levels.role_levels)
    services.prepare_dummy_hash(app)
