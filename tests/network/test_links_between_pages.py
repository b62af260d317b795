"""The network's pages lead to each other: a project to its city, a search result to its city, a city's replications
to the project, the other city and (for its sides) the replication's page, a consortium to its cities, a startup's
projects to their pages."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.network.models import Consortium, ConsortiumPurpose, ConsortiumStatus, Replication
from tests.network.replication_world import client_of, make_world


@pytest.fixture
def world(make_city, make_project, make_person):
    return make_world(make_city, make_project, make_person)


def href(url: str) -> str:
    return f'href="{url}"'


def test_a_project_and_a_search_result_link_to_the_projects_city(client, world):
    page = client.get(f"/network/projects/{world.project.id}").get_data(as_text=True)
    assert href(f"/network/cities/{world.epinal.id}") in page
    results = client.get("/network/projects/?q=stationnement").get_data(as_text=True)
    assert href(f"/network/projects/{world.project.id}") in results
    assert href(f"/network/cities/{world.epinal.id}") in results


def test_a_citys_replications_link_to_the_project_the_other_city_and_for_its_sides_the_replication(app, client,
                                                                                                    world):
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    replication = db.session.scalar(select(Replication))
    client_of(app, world.answerer).submit(f"/network/replications/{replication.id}/answer", {"decision": "accept"})
    # Anyone: the project's page and the other city's page.
    page = client.get(f"/network/cities/{world.nevers.id}").get_data(as_text=True)
    section = page.split('data-testid="city-replications"')[1]
    assert href(f"/network/projects/{world.project.id}") in section
    assert href(f"/network/cities/{world.epinal.id}") in section
    assert f"/network/replications/{replication.id}" not in section
    # A replication lasts months, across a new year: its steps are dated with their year.
    timeline = section.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert str(replication.created_at.year) in timeline
    # A side of the replication: its page, where the timeline's notes and the contacts are.
    page = client_of(app, world.asker).get(f"/network/cities/{world.nevers.id}").get_data(as_text=True)
    assert href(f"/network/replications/{replication.id}") in page.split('data-testid="city-replications"')[1]
    # The project's page names the city replicating it, linked.
    page = client.get(f"/network/projects/{world.project.id}").get_data(as_text=True)
    assert href(f"/network/cities/{world.nevers.id}") in page.split('data-testid="project-replications"')[1]


def test_a_consortium_links_to_its_cities(client, world):
    consortium = Consortium(title="Achat groupé de capteurs", purpose=ConsortiumPurpose.JOINT_PURCHASE,
                            status=ConsortiumStatus.ACTIVE, lead_city=world.epinal, startup=world.startup,
                            cities=[world.epinal, world.nevers])
    db.session.add(consortium)
    db.session.commit()
    page = client.get(f"/network/consortia/{consortium.id}").get_data(as_text=True)
    assert href(f"/network/cities/{world.nevers.id}") in page and href(f"/network/cities/{world.epinal.id}") in page
    listing = client.get("/network/consortia").get_data(as_text=True)
    assert href(f"/network/cities/{world.epinal.id}") in listing


def test_a_startups_projects_link_to_their_pages(app, world):
    page = client_of(app, world.founder).get("/network/startup/").get_data(as_text=True)
    assert href(f"/network/projects/{world.project.id}") in page
    assert href(f"/network/cities/{world.epinal.id}") in page


def test_a_startups_people_find_their_page_in_the_networks_menu(app, world):
    menu = client_of(app, world.founder).get("/network/").get_data(as_text=True).split('id="subnav-links"')[1]
    assert href("/network/startup/") in menu.split("</div>")[0]
    menu = client_of(app, world.stranger).get("/network/").get_data(as_text=True).split('id="subnav-links"')[1]
    assert "/network/startup/" not in menu.split("</div>")[0]
