"""What came of the meetings between startups and cities, followed across editions."""
from __future__ import annotations

from flask import Flask

from app.outcomes import organisation_routes


def init_app(app: Flask) -> None:
    """Registers the outcome pages, the follow-up surveys and their job (filled by the modules below)."""
    app.register_blueprint(organisation_routes.bp)
