"""The accessibility statement (RGAA 4.1), computed from docs/accessibility.md, and reports of problems."""
from __future__ import annotations

from flask import Flask, current_app, url_for
from flask_babel import lazy_gettext as _l

from app.accessibility import routes
from app.accessibility.grid import load
from app.core.i18n import current_language

#: The footer's words for each RGAA conformity level.
LEVEL_LABELS = {
    "total": _l("Accessibility: fully compliant"),
    "partial": _l("Accessibility: partially compliant"),
    "none": _l("Accessibility: not compliant"),
}


def footer_link() -> dict:
    """The statement's address in the page's language, and its conformity level (the footer of every page)."""
    language = current_language()
    grid = load(current_app.config["ACCESSIBILITY_GRID"])
    return {"url": url_for(routes.ENDPOINTS.get(language, routes.ENDPOINTS["fr"])), "label": LEVEL_LABELS[grid.level]}


def init_app(app: Flask) -> None:
    load(app.config["ACCESSIBILITY_GRID"])  # a broken grid stops the start, rather than every page later
    app.register_blueprint(routes.bp)
    app.context_processor(lambda: {"accessibility_footer": footer_link})
