"""What came of the meetings between startups and cities, followed across editions."""
from __future__ import annotations

from flask import Flask

from app.outcomes import survey_jobs, survey_routes  # survey_jobs registers the daily survey pass with huey


def init_app(app: Flask) -> None:
    """Registers the outcome pages, the follow-up surveys and their job (filled by the modules below)."""
    app.register_blueprint(survey_routes.bp)
    app.cli.add_command(survey_jobs.outcomes_cli)
