"""Replications and consortia: cities replicating each other's projects with the same startups, consortia around
one solution, the wishes they suggest to the next summit's demonstrator, and the monthly digest."""
from __future__ import annotations

from flask import Flask

from app.demonstrator.wishes.suggestions import add_wish_suggestions
from app.network.replication import (consortia_routes, digest, digest_routes, messages, routes, sections,
                                     suggestion_routes, suggestions)

#: Imported for their routes, added to the replication blueprint.
ROUTE_MODULES = (consortia_routes, digest_routes)


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.register_blueprint(suggestion_routes.bp)
    sections.init_app(app)
    add_wish_suggestions(app, suggestions.provider)
    digest.init_cli(app)
    app.jinja_env.globals["network_time_zone"] = messages.TIME_ZONE
