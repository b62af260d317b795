"""What features above the demonstrator keep people busy with, told at start-up (imports run one way).

A feature that places people elsewhere at set times (the meetings placed at tables) registers a source in its
`init_app`; the tours of a routed visitor leave those times out (`visitors.tour_windows`), so that re-computing
the routes keeps what was placed. The sources are kept per app, in `app.extensions`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from flask import Flask, current_app

from app.demonstrator.intervals import Interval
from app.events.models import Event

EXTENSION_KEY = "mediane.demonstrator.busy_sources"

#: (edition, registration ids) -> registration id -> the intervals (UTC) she is busy elsewhere.
BusySource = Callable[[Event, list[int]], dict[int, list[Interval]]]


def add_busy_source(app: Flask, source: BusySource) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(source)


def outside_busy(event: Event, registration_ids: list[int]) -> dict[int, list[Interval]]:
    """Every registered source's busy intervals of `registration_ids`, together."""
    found: dict[int, list[Interval]] = defaultdict(list)
    if not registration_ids:
        return found
    for source in current_app.extensions.get(EXTENSION_KEY, []):
        for registration_id, intervals in source(event, registration_ids).items():
            found[registration_id].extend(intervals)
    return found
