"""Webhooks: endpoints an organiser registers, the events captured from every change, signed deliveries."""
from __future__ import annotations

from flask import Flask

from app.api.webhooks import capture, cleanup, routes, tasks  # noqa: F401  (the tasks register with huey)


def init_app(app: Flask) -> None:
    capture.init_app(app)
    app.register_blueprint(routes.bp)
