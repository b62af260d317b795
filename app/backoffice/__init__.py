"""The organiser's back office landing pages, gathering figures from the features below."""
from __future__ import annotations

from flask import Flask

from app.auth.landing import BACK_OFFICE, add_landing
from app.backoffice import routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    add_landing(app, routes.organiser_landing, rank=BACK_OFFICE)
