"""What the replication room adds to the pages of the rooms below it: a project's replications and the button to
ask for one, a city's replications with their timelines, the demand for a startup's solution, and the contact's
requests to answer."""
from __future__ import annotations

from flask import Flask, render_template
from flask_login import current_user
from markupsafe import Markup

from app.network.members.standing import may_list
from app.network.models import NetworkCity, Project
from app.network.replication import messages, queries, services, sides
from app.network.sections import add_section
from app.people.models import Organisation


def _render(name: str, **context) -> Markup:
    return Markup(render_template(f"network/replication/_section_{name}.html", states=messages.STATES,
                                  steps=messages.STEPS, state_of=queries.state, **context))


def project_section(project: Project, reader) -> Markup:
    replications = [r for r in queries.of_project(project) if queries.is_live(r)]
    may_ask = bool(services.asking_cities(current_user, project)) if current_user.is_authenticated else False
    existing = services.existing_request(project, current_user) if may_ask else None
    return _render("project", project=project, replications=replications, counts=queries.by_state(replications),
                   may_ask=may_ask and existing is None, existing=existing)


def city_section(city: NetworkCity, reader) -> Markup | None:
    replications = [r for r in queries.of_city(city) if may_list(reader, r.project)]
    consortia = queries.consortia_of_city(city)
    if not replications and not consortia:
        return None
    return _render("city", city=city, replications=replications, consortia=consortia,
                   may_see=sides.seer(current_user))


def startup_section(organisation: Organisation, reader) -> Markup | None:
    replications = [r for r in queries.of_startup(organisation.id) if may_list(reader, r.project)]
    consortia = queries.consortia_of_startup(organisation.id)
    if not replications and not consortia:
        return None
    cities = sorted({r.city.name for r in replications} | {c.name for k in consortia for c in k.cities})
    return _render("startup", organisation=organisation, replications=replications,
                   counts=queries.by_state(replications), consortia=consortia, cities=cities)


def mine_section(obj, reader) -> Markup | None:
    if not current_user.is_authenticated:
        return None
    box = queries.inbox(current_user)
    return _render("mine", box=box)


def init_app(app: Flask) -> None:
    add_section(app, "project", project_section)
    add_section(app, "city", city_section, rank=60)
    add_section(app, "startup", startup_section)
    add_section(app, "mine", mine_section, rank=60)
