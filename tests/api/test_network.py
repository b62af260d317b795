"""The network between summits through the API (`network:read`): member cities, projects and consortia, paged in
the order of their last change; public and members-only projects, never a draft; e-mails only with
`registrations:contact`."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.network.models import (Consortium, ConsortiumPurpose, Membership, MembershipStatus, NetworkCity, Project,
                                ProjectStatus, Visibility)
from app.people.models import Organisation, OrganisationKind
from tests.api.test_contract import error_of


@pytest.fixture
def network(db, make_person):
    """Nevers (a member, its mayor the official contact) with a public, a members-only and a draft project, and a
    consortium with Épinal."""
    mayor = make_person("maire@nevers.example", first_name="Denis", last_name="Thuriot", password=None)
    nevers = NetworkCity(organisation=Organisation(name="Ville de Nevers", kind=OrganisationKind.COLLECTIVITE,
                                                   country="FR", population=33_000),
                         region="Nièvre", official_contact=mayor)
    nevers.memberships.append(Membership(year=2026, status=MembershipStatus.MEMBER))
    epinal = NetworkCity(organisation=Organisation(name="Ville d'Épinal", kind=OrganisationKind.COLLECTIVITE))
    base = datetime(2026, 3, 1, 9)
    projects = [Project(city=nevers, title_fr=title, status=ProjectStatus.DEPLOYED, visibility=visibility,
                        contact=mayor, updated_at=base + timedelta(days=n))
                for n, (title, visibility) in enumerate([("Stationnement intelligent", Visibility.PUBLIC),
                                                         ("Transport à la demande", Visibility.MEMBERS),
                                                         ("Navette autonome", Visibility.DRAFT)])]
    consortium = Consortium(title="Achat groupé de capteurs", purpose=ConsortiumPurpose.JOINT_PURCHASE,
                            lead_city=nevers, cities=[nevers, epinal], project=projects[2])
    db.session.add_all([nevers, epinal, *projects, consortium])
    db.session.commit()
    return nevers, projects, consortium


def _all(api, path, token, **query):
    """Every item of a list, following the cursors."""
    items, cursor = [], None
    while True:
        params = {**query, **({"cursor": cursor} if cursor else {})}
        answer = api.get(path, token, query_string=params)
        assert answer.status_code == 200, answer.get_json()
        items += answer.get_json()["data"]
        cursor = answer.get_json()["next_cursor"]
        if cursor is None:
            return items


def test_without_the_scope_the_network_is_refused(api, event, make_token, network):
    token = make_token(event, ["registrations:read", "registrations:contact"])
    for path in ("/network/cities", "/network/projects", f"/network/consortia/{network[2].id}"):
        answer = api.get(path, token)
        assert answer.status_code == 403 and error_of(answer)["code"] == "missing_scope"


def test_projects_are_paged_and_a_draft_is_never_shown(api, event, make_token, network):
    _, (public, members, draft), consortium = network
    token = make_token(event, ["network:read"])
    titles = [p["title_fr"] for p in _all(api, "/network/projects", token, limit=1)]
    assert titles == ["Stationnement intelligent", "Transport à la demande"]
    assert api.get(f"/network/projects/{draft.id}", token).status_code == 404
    assert api.get(f"/network/projects/{members.id}", token).get_json()["visibility"] == "members"
    assert api.get(f"/network/consortia/{consortium.id}", token).get_json()["project_id"] is None  # a draft's
    since = (public.updated_at + timedelta(hours=1)).replace(tzinfo=UTC).isoformat()
    assert [p["id"] for p in _all(api, "/network/projects", token, updated_since=since)] == [members.id]


def test_contacts_e_mails_need_the_contact_scope(api, event, make_token, network):
    nevers, (public, _, _), _ = network
    plain = make_token(event, ["network:read"])
    contact = make_token(event, ["network:read", "registrations:contact"])
    city = api.get(f"/network/cities/{nevers.id}", plain).get_json()
    assert city["official_contact"] == {"person_id": nevers.official_contact_id, "name": "Denis Thuriot",
                                        "job_title": "", "email": None}
    assert city["standing"] == "member" and city["population"] == 33_000
    assert api.get(f"/network/projects/{public.id}", plain).get_json()["contact"]["email"] is None
    assert api.get(f"/network/cities/{nevers.id}", contact).get_json()["official_contact"]["email"] \
        == "maire@nevers.example"
    assert api.get(f"/network/projects/{public.id}", contact).get_json()["contact"]["email"] == "maire@nevers.example"
    names = {c["name"] for c in _all(api, "/network/cities", plain, limit=1)}
    assert names == {"Ville de Nevers", "Ville d'Épinal"}
