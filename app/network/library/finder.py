"""The library's search page as a service: the query read from the page's parameters (a bad filter is refused,
naming it), the projects the reader may see that match, ranked by the full-text index (most recently updated
first without words), 20 a page. The bench (`bench/bench_network_search.py`) times this same function."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.params import parse_int
from app.extensions import db
from app.network.errors import NetworkError
from app.network.library import search
from app.network.members.standing import POPULATION_BANDS, Reader, band_condition, listed_condition
from app.network.models import NetworkCity, NetworkTheme, Project, ProjectStatus, project_theme
from app.people.models import Organisation

PER_PAGE = 20
#: Past this page a search is refused (nobody reads 500 pages; a bot asking for page 10**9 gets a sentence).
MAX_PAGE = 500
MAX_QUERY = 200
COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Query:
    q: str = ""
    theme: str = ""
    status: str = ""
    country: str = ""
    band: str = ""
    page: int = 1

    def params(self, **changes) -> dict:
        """The page's query string, with `changes` (for the links to other pages)."""
        values = {"q": self.q, "theme": self.theme, "status": self.status, "country": self.country,
                  "band": self.band, "page": self.page, **changes}
        return {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}


@dataclass
class Results:
    query: Query
    projects: list[Project] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    #: The query held no word (punctuation alone): nothing is searched.
    no_words: bool = False


def parse_query(args) -> Query:
    """The search read from a query string; NetworkError (shown as a 400) names a filter that is not one."""
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise NetworkError("query_too_long", "q", max=MAX_QUERY)
    theme = (args.get("theme") or "").strip()
    if theme and (len(theme) > 60 or db.session.scalar(select(NetworkTheme.id).where(NetworkTheme.code == theme))
                  is None):
        raise NetworkError("theme_unknown", "theme")
    status = (args.get("status") or "").strip()
    if status and status not in {s.value for s in ProjectStatus}:
        raise NetworkError("status_unknown", "status")
    country = (args.get("country") or "").strip().upper()
    if country and not COUNTRY.match(country):
        raise NetworkError("country_invalid", "country")
    band = (args.get("band") or "").strip()
    if band and band not in {code for code, _low, _high in POPULATION_BANDS}:
        raise NetworkError("band_unknown", "band")
    raw_page = (args.get("page") or "").strip()
    page = parse_int(raw_page, low=1, high=MAX_PAGE) if raw_page else 1
    if page is None:
        raise NetworkError("page_invalid", "page", max=MAX_PAGE)
    return Query(q=q, theme=theme, status=status, country=country, band=band, page=page)


def run(query: Query, reader: Reader) -> Results:
    """The page of projects `reader` may see that answer `query`."""
    results = Results(query=query)
    statement = (select(Project.id).join(NetworkCity, NetworkCity.id == Project.city_id)
                 .join(Organisation, Organisation.id == NetworkCity.organisation_id)
                 .where(listed_condition(reader)))
    if query.q:
        match = search.matches(query.q)
        if match is None:
            results.no_words = True
            return results
        statement = statement.join(match, match.c.project_id == Project.id)
        order = (match.c.rank.desc(), Project.id.desc())
    else:
        order = (Project.updated_at.desc(), Project.id.desc())
    if query.theme:
        statement = statement.where(Project.id.in_(
            select(project_theme.c.project_id).join(NetworkTheme, NetworkTheme.id == project_theme.c.theme_id)
            .where(NetworkTheme.code == query.theme)))
    if query.status:
        statement = statement.where(Project.status == ProjectStatus(query.status))
    if query.country:
        statement = statement.where(Organisation.country == query.country)
    if query.band:
        statement = statement.where(band_condition(Organisation.population, query.band))
    results.total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    results.pages = max(1, math.ceil(results.total / PER_PAGE))
    results.page = min(query.page, results.pages)
    ids = db.session.scalars(statement.order_by(*order).limit(PER_PAGE)
                             .offset((results.page - 1) * PER_PAGE)).all()
    if ids:
        found = {p.id: p for p in db.session.scalars(
            select(Project).where(Project.id.in_(ids))
            .options(joinedload(Project.city).joinedload(NetworkCity.organisation), selectinload(Project.themes)))}
        results.projects = [found[i] for i in ids]
    return results


def themes() -> list[NetworkTheme]:
    return list(db.session.scalars(select(NetworkTheme).order_by(NetworkTheme.position, NetworkTheme.name_fr)))


def countries() -> list[str]:
    """The countries of the cities that have projects (the filter's choices)."""
    return list(db.session.scalars(
        select(Organisation.country).join(NetworkCity, NetworkCity.organisation_id == Organisation.id)
        .join(Project, Project.city_id == NetworkCity.id).distinct().order_by(Organisation.country)))


def excerpt(text: str, length: int = 220) -> str:
    """The first words of `text`, cut at a word under `length` characters."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"
