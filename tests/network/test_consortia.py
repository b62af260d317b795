"""Consortia: a member city's contact creates one around a startup, others join and leave, the lead city changes
its status; the startup's page shows the demand for its solution."""
import pytest
from flask_login import login_user
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.mail.models import OutboxMessage
from app.network.members.standing import Reader
from app.network.models import Consortium, ConsortiumStatus, MembershipStatus, Replication
from app.network.sections import sections
from tests.network.replication_world import client_of, make_world


@pytest.fixture
def world(make_city, make_project, make_person):
    return make_world(make_city, make_project, make_person)


def create(client, world, **fields):
    data = {"title": "Achat groupé de capteurs", "description": "Un marché commun.", "purpose": "joint_purchase",
            "startup_id": world.startup.id, "project_id": world.project.id, **fields}
    return client.submit("/network/consortia/new", data)


def test_a_member_contact_creates_a_consortium_that_her_city_leads(app, world):
    client = client_of(app, world.answerer)
    response = create(client, world)
    assert response.status_code == 302
    consortium = db.session.scalar(select(Consortium))
    assert consortium.lead_city_id == world.epinal.id and [c.id for c in consortium.cities] == [world.epinal.id]
    assert consortium.startup_id == world.startup.id and consortium.project_id == world.project.id
    # The startup is told; the list and the page show it to everyone.
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "sam@capteurs.fr"))
    assert "Achat groupé de capteurs" in app.test_client().get("/network/consortia").get_data(as_text=True)
    assert "Capteurs du Morvan" in app.test_client().get(f"/network/consortia/{consortium.id}").get_data(as_text=True)


@pytest.mark.parametrize("fields, field", [({"title": " "}, "title"), ({"purpose": "lunch"}, "purpose"),
                                          ({"startup_id": "999999"}, "startup_id")])
def test_a_bad_form_is_refused_naming_its_field(app, world, fields, field):
    response = create(client_of(app, world.answerer), world, **fields)
    assert response.status_code == 422
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Consortium)) is None


def test_only_member_contacts_create_join_and_leave(app, world, make_city, make_person):
    lapsed = make_person()
    make_city("Ville de Vierzon", status=MembershipStatus.LAPSED, official=lapsed)
    assert client_of(app, lapsed).get("/network/consortia/new").status_code == 403
    assert client_of(app, world.stranger).get("/network/consortia/new").status_code == 403
    create(client_of(app, world.answerer), world)
    consortium = db.session.scalar(select(Consortium))
    asker = client_of(app, world.asker)
    join_url = f"/network/consortia/{consortium.id}/join"
    assert asker.submit(join_url, {"city_id": world.nevers.id}).status_code == 302
    assert asker.submit(join_url, {"city_id": world.nevers.id}).status_code == 409
    assert client_of(app, lapsed).submit(join_url, {"city_id": world.nevers.id}).status_code == 422
    db.session.expire_all()
    assert {c.id for c in db.session.get(Consortium, consortium.id).cities} == {world.nevers.id, world.epinal.id}
    # The lead city is told that Nevers joined.
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "claire@epinal.fr"))
    leave_url = f"/network/consortia/{consortium.id}/leave"
    assert client_of(app, world.answerer).submit(leave_url, {"city_id": world.epinal.id}).status_code == 409
    assert asker.submit(leave_url, {"city_id": world.nevers.id}).status_code == 302
    db.session.expire_all()
    assert [c.id for c in db.session.get(Consortium, consortium.id).cities] == [world.epinal.id]


def test_only_the_lead_city_changes_the_status(app, world):
    create(client_of(app, world.answerer), world)
    consortium = db.session.scalar(select(Consortium))
    url = f"/network/consortia/{consortium.id}/status"
    assert client_of(app, world.asker).submit(url, {"status": "active"}).status_code == 403
    assert client_of(app, world.answerer).submit(url, {"status": "sleeping"}).status_code == 422
    assert client_of(app, world.answerer).submit(url, {"status": "active"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Consortium, consortium.id).status is ConsortiumStatus.ACTIVE
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "network.consortium.status"))


def test_the_startup_section_shows_the_demand_for_its_solution(app, world):
    asker = client_of(app, world.asker)
    asker.submit(f"/network/projects/{world.project.id}/replicate", {})
    create(client_of(app, world.answerer), world)
    with app.test_request_context("/"):
        login_user(world.founder)
        html = "".join(sections("startup", world.startup, Reader.of(world.founder)))
    assert "Achat groupé de capteurs" in html and "Ville de Nevers" in html and "Ville d&#39;Épinal" in html


def test_the_project_section_counts_replications_and_offers_the_button(app, world, make_city, make_person):
    with app.test_request_context("/"):
        login_user(world.asker)
        html = "".join(sections("project", world.project, Reader.of(world.asker)))
    assert 'data-testid="ask-to-replicate"' in html
    client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate", {})
    with app.test_request_context("/"):
        login_user(world.asker)
        html = "".join(sections("project", world.project, Reader.of(world.asker)))
    assert 'data-testid="ask-to-replicate"' not in html
    with app.test_request_context("/"):
        login_user(world.stranger)
        html = "".join(sections("project", world.project, Reader.of(world.stranger)))
    assert 'data-testid="ask-to-replicate"' not in html and "Ville de Nevers" in html
    with app.test_request_context("/"):
        login_user(world.answerer)
        html = "".join(sections("city", world.nevers, Reader.of(world.answerer)))
    assert 'data-testid="timeline"' in html


def test_a_citys_page_shows_the_steps_to_everyone_and_their_notes_to_the_sides_only(app, world):
    asker = client_of(app, world.asker)
    asker.submit(f"/network/projects/{world.project.id}/replicate", {"message": "Message privé pour Épinal"})
    replication = db.session.scalar(select(Replication))
    client_of(app, world.answerer).submit(f"/network/replications/{replication.id}/answer", {"decision": "accept"})
    asker.submit(f"/network/replications/{replication.id}/stage", {"stage": "exchange", "note": "Visite le 12"})
    for person, shown in ((world.answerer, True), (world.stranger, False)):
        with app.test_request_context("/"):
            login_user(person)
            html = "".join(sections("city", world.nevers, Reader.of(person)))
        assert 'data-testid="timeline"' in html
        assert ("Visite le 12" in html) is shown and ("Message privé pour Épinal" in html) is shown
        # Nobody's name on a city's page: the contacts' names are for the sides, on the replication's page.
        assert "Alice" not in html and "Claire" not in html


def test_the_menu_marks_one_current_entry_on_the_pages_of_a_blueprint_that_serves_two(app, world):
    create(client_of(app, world.answerer), world)
    consortium = db.session.scalar(select(Consortium))
    client = client_of(app, world.answerer)
    for url, label in ((f"/network/consortia/{consortium.id}", "/network/consortia"),
                       ("/network/replications/", "/network/replications/")):
        html = client.get(url).get_data(as_text=True)
        nav = html.split('class="subnav"')[1].split("</nav>")[0]
        assert nav.count('aria-current="page"') == 1
        assert f'href="{label}" aria-current="page"' in nav
