"""The organiser's attendee import from CSV or XLSX: preview every bad row, then import all rows or none."""
from __future__ import annotations

from flask import Flask

from app.registrations.imports import cli, job_labels, jobs, routes  # noqa: F401  (jobs: registers the import job's handler)


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    cli.init_app(app)
    job_labels.init_app(app)
