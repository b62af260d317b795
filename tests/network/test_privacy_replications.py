"""Replications show a project's title only to whom may see the project, and the sides' contact details only to
the contacts of cities that are members now."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.network.models import MembershipStatus, Replication, Visibility
from tests.network.replication_world import client_of, make_world

TITLE = "Stationnement intelligent"


@pytest.fixture
def world(app, make_city, make_project, make_person):
    world = make_world(make_city, make_project, make_person)
    response = client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate",
                                                  {"message": "Bonjour"})
    assert response.status_code == 302
    return world


def accept(app, world):
    replication = db.session.scalar(select(Replication))
    response = client_of(app, world.answerer).submit(f"/network/replications/{replication.id}/answer",
                                                     {"decision": "accept"})
    assert response.status_code == 302
    return replication


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.DRAFT])
def test_a_city_page_does_not_name_a_project_the_visitor_may_not_see(app, client, world, visibility):
    accept(app, world)
    for city in (world.nevers, world.epinal):
        assert TITLE in client.get(f"/network/cities/{city.id}").get_data(as_text=True)
    world.project.visibility = visibility
    db.session.commit()
    for city in (world.nevers, world.epinal):
        page = client.get(f"/network/cities/{city.id}").get_data(as_text=True)
        assert TITLE not in page, city.name


def test_the_startups_inbox_and_page_name_a_members_only_project_by_its_city_alone(app, world):
    world.project.visibility = Visibility.MEMBERS
    db.session.commit()
    replication = db.session.scalar(select(Replication))
    founder = client_of(app, world.founder)
    inbox = founder.get("/network/replications/").get_data(as_text=True)
    assert 'data-testid="startup"' in inbox and TITLE not in inbox
    page = founder.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert TITLE not in page and "Ville d&#39;Épinal" in page
    assert TITLE in client_of(app, world.asker).get("/network/replications/").get_data(as_text=True)


def test_a_lapsed_citys_contact_keeps_the_bare_history_without_contacts(app, world):
    replication = accept(app, world)
    asker = client_of(app, world.asker)
    page = asker.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert "claire@epinal.fr" in page and "03 29 00 00 02" in page
    world.nevers.memberships[0].status = MembershipStatus.LAPSED
    world.project.visibility = Visibility.MEMBERS
    db.session.commit()
    response = asker.get(f"/network/replications/{replication.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="timeline"' in page
    assert "claire@epinal.fr" not in page and "03 29 00 00 02" not in page and TITLE not in page


def test_a_project_other_cities_replicate_may_not_be_deleted(app, world):
    answerer = client_of(app, world.answerer)
    url = f"/network/projects/{world.project.id}/delete"
    response = answerer.submit(url, {"confirm": "yes"}, headers={"Accept-Language": "en"})
    assert response.status_code == 409 and "abandoned" in response.get_data(as_text=True)
    assert db.session.scalar(select(Replication)) is not None
    replication = db.session.scalar(select(Replication))
    response = client_of(app, world.asker).submit(f"/network/replications/{replication.id}/answer",
                                                  {"decision": "cancel"})
    assert response.status_code == 302
    assert answerer.submit(url, {"confirm": "yes"}).status_code == 302
    assert db.session.scalar(select(Replication)) is None
