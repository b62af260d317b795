"""The network between summits (issue 28): member cities, the library of projects and lessons learned,
replications and consortia. Its rooms build on one another: replication on the library, the library on the
members; this package's root registers them all."""
from __future__ import annotations

from flask import Flask

from app.core.access import add_role_provider
from app.network import library, members, replication, routes, sections
from app.network.members.standing import network_levels


def init_app(app: Flask) -> None:
    add_role_provider(app, network_levels)
    app.register_blueprint(routes.bp)
    members.init_app(app)
    library.init_app(app)
    app.context_processor(lambda: {"network_nav": routes.nav_links, "network_sections": sections.sections,
                                   "has_endpoint": sections.has_endpoint})
    replication.init_app(app)
