"""The organiser's back office landing pages, gathering figures from the features below."""
from __future__ import annotations

from flask import Flask

from app.backoffice import routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
