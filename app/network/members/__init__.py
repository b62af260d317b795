"""The members' room: member cities, their memberships per year, their pages and the network organisers'
pages that keep them."""
from __future__ import annotations

from flask import Flask

from app.network.members import manage_routes, routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(manage_routes.bp)
