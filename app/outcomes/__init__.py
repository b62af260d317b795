"""What came of the meetings between startups and cities, followed across editions."""
from __future__ import annotations

from flask import Flask

from app.outcomes import organisation_routes, survey_jobs, survey_routes  # survey_jobs registers the daily pass


def init_app(app: Flask) -> None:
    """Registers the outcome pages, the follow-up surveys (pages, daily pass, command) and the organisations'
    merge tool."""
    app.register_blueprint(survey_routes.bp)
    app.cli.add_command(survey_jobs.outcomes_cli)
    app.register_blueprint(organisation_routes.bp)
