"""What came of the meetings between startups and cities, followed across editions."""
from __future__ import annotations

from flask import Flask

from app.outcomes import city_routes, listing, manage_routes, routes


def init_app(app: Flask) -> None:
    """Registers the outcome pages, the follow-up surveys and their job (filled by the modules below)."""
    app.register_blueprint(routes.bp)
    app.register_blueprint(city_routes.bp)
    app.register_blueprint(manage_routes.bp)
    # The stands' contacts (app.leads, below) link to the outcome form only for the people it takes.
    app.add_template_global(listing.is_city_side, "outcome_possible_with")
