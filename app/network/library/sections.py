"""What the library adds to the members' pages: a city's projects on its page, and "cities like mine" on the page
of a city's contacts and on her own city's page."""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.network.library import suggest
from app.network.members.standing import Reader, listed_condition, visible_condition
from app.network.models import NetworkCity, Project


def _projects_of(city: NetworkCity, reader: Reader, *, drafts: bool = False) -> list[Project]:
    shown = visible_condition(reader) if drafts else listed_condition(reader)
    return list(db.session.scalars(select(Project).where(Project.city_id == city.id, shown)
                                   .order_by(Project.updated_at.desc(), Project.id.desc())))


def city_projects(city: NetworkCity, reader: Reader) -> Markup | None:
    """On a city's page: its projects the reader may see, drafts never (its contacts find them on "my city")."""
    return Markup(render_template("network/library/_city_projects.html", city=city,
                                  projects=_projects_of(city, reader), own=city.id in reader.city_ids))


def mine_projects(_obj, reader: Reader) -> Markup | None:
    """On a contact's own page: her member cities' projects, drafts included, to edit, and a link to publish."""
    cities = [city for city in (db.session.get(NetworkCity, city_id) for city_id in reader.city_ids) if city]
    return Markup("").join(Markup(render_template("network/library/_city_projects.html", city=city,
                                                  projects=_projects_of(city, reader, drafts=True), own=True))
                           for city in cities) or None


def _like_mine(cities: list[NetworkCity], reader: Reader) -> Markup | None:
    found = [(city, suggest.suggestions(city, reader)) for city in cities]
    if not any(suggestions for _city, suggestions in found):
        return None
    return Markup(render_template("network/library/_like_mine.html", found=found))


def city_like_mine(city: NetworkCity, reader: Reader) -> Markup | None:
    """On a city's page, for its own contacts only."""
    return _like_mine([city], reader) if city.id in reader.city_ids else None


def mine_like_mine(_obj, reader: Reader) -> Markup | None:
    cities = [db.session.get(NetworkCity, city_id) for city_id in reader.city_ids]
    return _like_mine([city for city in cities if city is not None], reader)
