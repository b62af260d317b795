"""The search index kept fresh when what it holds of a project changes elsewhere: a city's region or organisation,
a theme's names, an organisation's name (a city's or a partner's), or a merge of two organisations.

Those are written by rooms and features below the library (the members' pages, the organisations' merge), which
cannot call it. So the library listens: the session notes, after each flush, which of those rows changed
(`notice`); merges tell it through `app.people.merging.on_repoint`; and just before the commit the projects they
touch are indexed again (`refresh`), in the same transaction as the change."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.network.library import search
from app.network.models import NetworkCity, NetworkTheme, Project, ProjectPartner, project_theme
from app.people.merging import on_repoint
from app.people.models import Organisation

_KEY = "network.search.stale"
#: The attributes of each model the index holds (directly or through a relationship).
WATCHED = {NetworkCity: ("region", "organisation_id", "organisation"), NetworkTheme: ("name_fr", "name_en"),
           Organisation: ("name",)}


def _stale(session: Session) -> dict[type, set[int]]:
    return session.info.setdefault(_KEY, {model: set() for model in WATCHED})


def _changed(obj, names) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def notice(session: Session, flush_context) -> None:
    """After a flush (the dirty rows and their history still as before it): note the rows whose indexed
    attributes changed."""
    for obj in session.dirty:
        names = WATCHED.get(type(obj))
        if names and obj.id is not None and _changed(obj, names):
            _stale(session)[type(obj)].add(obj.id)


def merged(model: type, kept_id: int) -> None:
    """A merge re-pointed cities and partners to the kept organisation: its projects are indexed again."""
    if model is Organisation:
        _stale(db.session())[Organisation].add(kept_id)


def stale_projects(cities: set[int], themes: set[int], organisations: set[int]):
    """The ids of the projects whose index row holds one of these cities, themes or organisations."""
    conditions = []
    if cities:
        conditions.append(Project.city_id.in_(cities))
    if themes:
        conditions.append(Project.id.in_(select(project_theme.c.project_id)
                                         .where(project_theme.c.theme_id.in_(themes))))
    if organisations:
        conditions.append(Project.city_id.in_(select(NetworkCity.id)
                                              .where(NetworkCity.organisation_id.in_(organisations))))
        conditions.append(Project.id.in_(select(ProjectPartner.project_id)
                                         .where(ProjectPartner.organisation_id.in_(organisations))))
    return select(Project.id).where(or_(*conditions)) if conditions else None


def refresh(session: Session) -> None:
    """Before a commit: index again the projects the changes noted touch."""
    if not any(session.info.get(_KEY, {}).values()):
        return
    session.flush()
    stale = session.info.pop(_KEY)
    ids = stale_projects(stale[NetworkCity], stale[NetworkTheme], stale[Organisation])
    projects = session.scalars(select(Project).where(Project.id.in_(ids))
                               .options(selectinload(Project.themes), selectinload(Project.partners))).all()
    search.reindex(projects)


def forget_changes(session: Session, *args) -> None:
    session.info.pop(_KEY, None)


def init_app(app: Flask) -> None:
    on_repoint(app, merged)
    for name, listener in (("after_flush", notice), ("before_commit", refresh), ("after_rollback", forget_changes)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
