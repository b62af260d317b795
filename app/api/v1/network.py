"""The network between summits, read-only: member cities, the library's projects and consortia (`network:read`).

The network is above editions, so are its paths (`/network/...`, no edition's slug): an organiser's token of any
edition reads it, the summit's organisers being the network's. It sees what a member city's contact sees: public
and members-only projects, never a draft; the contacts' e-mail addresses only with `registrations:contact`.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.network import CityOut, ConsortiumOut, ProjectOut
from app.extensions import db
from app.network.models import Consortium, NetworkCity, Project, ProjectPartner, Visibility

api = ApiBlueprint("api_network", __name__)

CityPage = page_model(CityOut)
ProjectPage = page_model(ProjectOut)
ConsortiumPage = page_model(ConsortiumOut)
SCOPE = "network:read"
SHOWN = (Visibility.PUBLIC, Visibility.MEMBERS)
CITY_LOADS = (selectinload(NetworkCity.organisation), selectinload(NetworkCity.memberships),
              selectinload(NetworkCity.themes), selectinload(NetworkCity.places),
              selectinload(NetworkCity.official_contact), selectinload(NetworkCity.staff_contact))
PROJECT_LOADS = (selectinload(Project.city).selectinload(NetworkCity.organisation), selectinload(Project.themes),
                 selectinload(Project.partners).selectinload(ProjectPartner.organisation),
                 selectinload(Project.documents), selectinload(Project.contact))


def with_email(call: Call) -> bool:
    return "registrations:contact" in call.caller.scopes


def _one(model, row_id: int, *conditions):
    row = db.session.scalar(select(model).where(model.id == row_id, *conditions))
    if row is None:
        raise ApiError(404, "not_found")
    return row


@api.operation("GET", "/network/cities", summary="List the network's cities", tag="Network", scope=SCOPE,
               query=PageQuery, response=CityPage)
def list_cities(call: Call):
    """Every city of the network (members, candidates and lapsed ones: see `standing`), in the order of their
    last change."""
    rows, cursor = page_of(select(NetworkCity).options(*CITY_LOADS), changed=NetworkCity.updated_at,
                           row_id=NetworkCity.id, params=call.query)
    return CityPage(data=[CityOut.of(c, with_email(call)) for c in rows], next_cursor=cursor)


@api.operation("GET", "/network/cities/{city_id}", summary="One city of the network", tag="Network", scope=SCOPE,
               response=CityOut)
def get_city(call: Call, city_id: int):
    return CityOut.of(_one(NetworkCity, city_id), with_email(call))


@api.operation("GET", "/network/projects", summary="List the library's projects", tag="Network", scope=SCOPE,
               query=PageQuery, response=ProjectPage)
def list_projects(call: Call):
    """The projects of the library, public and members-only (never a draft), in the order of their last change."""
    query = select(Project).where(Project.visibility.in_(SHOWN)).options(*PROJECT_LOADS)
    rows, cursor = page_of(query, changed=Project.updated_at, row_id=Project.id, params=call.query)
    return ProjectPage(data=[ProjectOut.of(p, with_email(call)) for p in rows], next_cursor=cursor)


@api.operation("GET", "/network/projects/{project_id}", summary="One project of the library", tag="Network",
               scope=SCOPE, response=ProjectOut)
def get_project(call: Call, project_id: int):
    """A draft is as good as unknown (404)."""
    return ProjectOut.of(_one(Project, project_id, Project.visibility.in_(SHOWN)), with_email(call))


@api.operation("GET", "/network/consortia", summary="List consortia", tag="Network", scope=SCOPE,
               query=PageQuery, response=ConsortiumPage)
def list_consortia(call: Call):
    """Cities buying or deploying a solution together, in the order of their last change."""
    query = select(Consortium).options(selectinload(Consortium.cities), selectinload(Consortium.startup),
                                       selectinload(Consortium.project))
    rows, cursor = page_of(query, changed=Consortium.updated_at, row_id=Consortium.id, params=call.query)
    return ConsortiumPage(data=[ConsortiumOut.of(c) for c in rows], next_cursor=cursor)


@api.operation("GET", "/network/consortia/{consortium_id}", summary="One consortium", tag="Network", scope=SCOPE,
               response=ConsortiumOut)
def get_consortium(call: Call, consortium_id: int):
    return ConsortiumOut.of(_one(Consortium, consortium_id))
