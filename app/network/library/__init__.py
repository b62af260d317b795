"""The library of projects and lessons learned: search, project pages, publishing, startups' agreement, and
"cities like mine"."""
from __future__ import annotations

from flask import Flask

from app.network.library import freshness, routes, sections, startup
from app.network.sections import add_section


def init_app(app: Flask) -> None:
    freshness.init_app(app)
    app.register_blueprint(routes.bp)
    app.register_blueprint(startup.bp)
    add_section(app, "city", sections.city_projects, rank=20)
    add_section(app, "city", sections.city_like_mine, rank=30)
    add_section(app, "mine", sections.mine_projects, rank=20)
    add_section(app, "mine", sections.mine_like_mine, rank=30)
