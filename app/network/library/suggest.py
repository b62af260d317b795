""""Cities like mine": for a member city, the projects of other cities of a similar size that share its themes and
that it has not seen yet, each with why it is suggested.

- Similar size: the same population band as the city, or the band next to it (`standing.POPULATION_BANDS`).
- Sharing themes: at least one theme of the city's page in common.
- Not seen yet: not one of its own projects, and not one it already asked to replicate (a request in any
  state, withdrawn ones included: it knows the project).
Ranked by the number of themes in common, then by how close the other city's population is."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.sentences import gettext as _
from app.core.sentences import ngettext
from app.extensions import db
from app.network.members.standing import (POPULATION_BANDS, Reader, band_condition, listed_condition,
                                          population_band)
from app.network.models import NetworkCity, NetworkTheme, Project, Replication, project_theme
from app.people.models import Organisation

LIMIT = 10


@dataclass
class Suggestion:
    project: Project
    themes: list[NetworkTheme]
    same_band: bool

    def why(self, locale: str) -> str:
        names = ", ".join(theme.name(locale) for theme in self.themes)
        size = _("same size band") if self.same_band else _("a neighbouring size band")
        shared = ngettext("%(num)d theme in common: %(names)s", "%(num)d themes in common: %(names)s",
                          len(self.themes), names=names)
        return f"{size}, {shared}"


def neighbouring_bands(code: str | None) -> list[str]:
    codes = [band for band, _low, _high in POPULATION_BANDS]
    if code not in codes:
        return []
    index = codes.index(code)
    return codes[max(0, index - 1):index + 2]


def suggestions(city: NetworkCity, reader: Reader, limit: int = LIMIT) -> list[Suggestion]:
    """What `city` might replicate, best first (nothing when its population or its themes are unknown)."""
    population = city.organisation.population
    band = population_band(population)
    theme_ids = [theme.id for theme in city.themes]
    if band is None or not theme_ids:
        return []
    sizes = [band_condition(Organisation.population, code) for code in neighbouring_bands(band)]
    asked = select(Replication.project_id).where(Replication.city_id == city.id)
    shared = func.count(project_theme.c.theme_id).label("shared")
    rows = db.session.execute(
        select(Project.id, shared).join(project_theme, project_theme.c.project_id == Project.id)
        .join(NetworkCity, NetworkCity.id == Project.city_id)
        .join(Organisation, Organisation.id == NetworkCity.organisation_id)
        .where(listed_condition(reader), Project.city_id != city.id, Project.id.not_in(asked),
               project_theme.c.theme_id.in_(theme_ids), or_(*sizes))
        .group_by(Project.id, Organisation.population)
        .order_by(shared.desc(), func.abs(Organisation.population - population), Project.id.desc())
        .limit(limit)).all()
    projects = {p.id: p for p in db.session.scalars(
        select(Project).where(Project.id.in_([r[0] for r in rows]))
        .options(selectinload(Project.themes), joinedload(Project.city).joinedload(NetworkCity.organisation)))}
    mine = set(theme_ids)
    return [Suggestion(project=projects[project_id],
                       themes=[t for t in projects[project_id].themes if t.id in mine],
                       same_band=population_band(projects[project_id].city.organisation.population) == band)
            for project_id, _shared in rows]

