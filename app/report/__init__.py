"""The edition's report (planned, realised, outcomes) and the timelines across editions."""
from __future__ import annotations

from flask import Flask

from app.report import routes


def init_app(app: Flask) -> None:
    """Registers the report's pages."""
    app.register_blueprint(routes.bp)
