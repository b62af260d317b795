"""Where a person lands after logging in without a `next` page: the features above say, at start-up.

The back office lands an organiser on her edition (or the list of editions she organises); registrations land
an attendee on her own pages. Each feature's init_app adds its landing with a rank (lower asked first); the
first that names a page for the person wins, else the public home page.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from app.people.models import Person

#: person -> the path of the page she should land on, or None when the feature has nothing for her.
Landing = Callable[[Person], "str | None"]

_KEY = "mediane.landings"

#: Ranks of the landings: an organiser who is also registered lands on the back office.
BACK_OFFICE = 10
ATTENDEE = 20


def add_landing(app: Flask, landing: Landing, *, rank: int) -> None:
    landings = app.extensions.setdefault(_KEY, [])
    landings.append((rank, landing))
    landings.sort(key=lambda pair: pair[0])


def landing_page(person: Person, default: str) -> str:
    for _rank, landing in current_app.extensions.get(_KEY, []):
        page = landing(person)
        if page:
            return page
    return default
