"""Background jobs: the huey queue, the job kinds features register, their pages and `flask jobs worker`."""
from __future__ import annotations

from flask import Flask

from app.jobs import cli, routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    cli.init_app(app)
