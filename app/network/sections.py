"""Parts that a room adds to a page of a room below it, told at start-up: the library adds a city's projects to
the city's page, replication adds a project's replications and the button to ask for one to the project's page.
A lower room renders `sections(page, obj, reader)` where the part goes and knows nothing of who fills it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

EXTENSION_KEY = "mediane.network.sections"

#: The pages that take sections: "city" (a NetworkCity), "project" (a Project), "mine" (the contact's own page,
#: obj None), "startup" (an Organisation: the startup's page of its agreements and the demand for it).
PAGES = ("city", "project", "mine", "startup")

#: (obj, reader: app.network.members.standing.Reader) -> the section's HTML, or None to show nothing.
Section = Callable[[Any, Any], "Markup | None"]


def add_section(app: Flask, page: str, section: Section, *, rank: int = 50) -> None:
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    registry = app.extensions.setdefault(EXTENSION_KEY, {})
    registry.setdefault(page, []).append((rank, section))
    registry[page].sort(key=lambda pair: pair[0])


def sections(page: str, obj: Any, reader: Any) -> list[Markup]:
    """The HTML of the sections of `page` about `obj`, in their ranks' order."""
    shown = (section(obj, reader) for _rank, section in current_app.extensions.get(EXTENSION_KEY, {}).get(page, []))
    return [html for html in shown if html]


def has_endpoint(endpoint: str) -> bool:
    """For templates: link to a room's page only when that room is registered."""
    return endpoint in current_app.view_functions
