"""What came of the meetings between startups and cities, followed across editions."""
from __future__ import annotations

from flask import Flask

from app.outcomes import (city_routes, listing, manage_routes, organisation_routes, person_routes, routes, survey_jobs,
                          survey_routes)


def init_app(app: Flask) -> None:
    """Registers the outcome pages of the three sides, the follow-up surveys (pages, daily pass, command) and
    the merge tools of organisations and people. (Importing survey_jobs registers the daily pass with huey.)"""
    app.register_blueprint(routes.bp)
    app.register_blueprint(city_routes.bp)
    app.register_blueprint(manage_routes.bp)
    app.register_blueprint(survey_routes.bp)
    app.cli.add_command(survey_jobs.outcomes_cli)
    app.register_blueprint(organisation_routes.bp)
    app.register_blueprint(person_routes.bp)
    # The stands' contacts (app.leads, below) link to the outcome form only for the people it takes.
    app.add_template_global(listing.is_city_side, "outcome_possible_with")
