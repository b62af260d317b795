"""Exhibitor lead scanning: stands, paired devices, scans, contacts (issue 7)."""
from __future__ import annotations

from flask import Flask

from app.core.access import set_device_authenticator
from app.leads import api, cli, manage_routes, routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(manage_routes.bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    set_device_authenticator(app, api.authenticate_device)
