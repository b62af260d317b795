"""A consortium names the project it starts from only to whom may see it, and never starts from a draft."""
from sqlalchemy import select

from app.extensions import db
from app.network.models import Consortium, Visibility
from tests.network.replication_world import client_of, make_world

TITLE = "Stationnement intelligent"


def create(client, world):
    return client.submit("/network/consortia/new", {
        "title": "Achat groupé", "description": "", "purpose": "joint_purchase", "startup_id": world.startup.id,
        "project_id": world.project.id})


def test_a_draft_of_ones_own_city_is_refused_naming_the_field(app, make_city, make_project, make_person):
    world = make_world(make_city, make_project, make_person, visibility=Visibility.DRAFT)
    client = client_of(app, world.answerer)
    response = create(client, world)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert "draft" in summary or "brouillon" in summary
    assert TITLE not in client.get("/network/consortia/new").get_data(as_text=True)
    assert db.session.scalar(select(Consortium)) is None


def test_the_page_names_the_project_only_to_whom_may_see_it(app, make_city, make_project, make_person):
    world = make_world(make_city, make_project, make_person, visibility=Visibility.MEMBERS)
    member = client_of(app, world.answerer)
    assert create(member, world).status_code == 302
    consortium = db.session.scalar(select(Consortium))
    url = f"/network/consortia/{consortium.id}"
    assert TITLE in member.get(url).get_data(as_text=True)
    anonymous = app.test_client().get(url).get_data(as_text=True)
    assert "Achat groupé" in anonymous and TITLE not in anonymous
    world.project.visibility = Visibility.DRAFT
    db.session.commit()
    assert TITLE not in member.get(url).get_data(as_text=True)
