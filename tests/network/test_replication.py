"""Asking to replicate a project, the answers of the project's city and of its startup, and whose contact details
each side sees."""
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.mail.models import OutboxMessage
from app.network.models import Agreement, MembershipStatus, Replication, ReplicationStage, Visibility
from tests.network.replication_world import client_of, make_world


@pytest.fixture
def world(make_city, make_project, make_person):
    return make_world(make_city, make_project, make_person)


def ask(app, world, message="Nous aimerions faire de même."):
    client = client_of(app, world.asker)
    response = client.submit(f"/network/projects/{world.project.id}/replicate", {"message": message})
    return client, response


def mails_to(email):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)).all()


def test_a_member_city_asks_and_the_project_city_and_startup_are_told(app, world):
    client, response = ask(app, world)
    assert response.status_code == 302
    replication = db.session.scalar(select(Replication))
    assert (replication.city_id, replication.asked_by_id) == (world.nevers.id, world.asker.id)
    assert replication.startup_id == world.startup.id and replication.startup_answer is Agreement.PENDING
    assert [s.kind for s in replication.steps] == ["asked"]
    # Claire reads English, Sam French.
    assert mails_to("claire@epinal.fr")[0].subject == "Ville de Nevers asks to replicate “Stationnement intelligent”"
    assert "Ville de Nevers" in mails_to("sam@capteurs.fr")[0].body
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "network.replication.ask"))
    page = client.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert "Nous aimerions faire de même." in page


def test_the_startups_page_leads_its_person_to_the_request_to_answer(app, world):
    ask(app, world)
    replication = db.session.scalar(select(Replication))
    founder = client_of(app, world.founder)
    page = founder.get("/network/startup/").get_data(as_text=True)
    demand = page.split('data-testid="startup-replications"')[1].split("</ul>")[0]
    assert f'href="/network/replications/{replication.id}"' in demand and "Ville de Nevers" in demand
    assert 'data-testid="startup-to-answer"' in demand
    assert 'value="startup_accept"' in founder.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert founder.submit(f"/network/replications/{replication.id}/answer",
                          {"decision": "startup_accept"}).status_code == 302
    page = founder.get("/network/startup/").get_data(as_text=True)
    assert 'data-testid="startup-replications"' in page and 'data-testid="startup-to-answer"' not in page


def test_a_second_request_of_the_same_city_is_a_conflict(app, world):
    client, _ = ask(app, world)
    response = client.submit(f"/network/projects/{world.project.id}/replicate", {"message": "Encore"})
    assert response.status_code == 409
    assert "already asked" in response.get_data(as_text=True) or "déjà demandé" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Replication)) == 1
    # The form says it, with a link to the request.
    assert 'data-testid="already-asked"' in client.get(f"/network/projects/{world.project.id}/replicate").get_data(
        as_text=True)


@pytest.mark.parametrize("who", ["lapsed", "stranger", "own_city"])
def test_only_another_member_citys_contact_may_ask(app, world, make_city, make_person, who):
    if who == "lapsed":
        person = make_person()
        make_city("Ville de Vierzon", status=MembershipStatus.LAPSED, official=person)
    elif who == "stranger":
        person = world.stranger
    else:
        person = world.answerer
    client = client_of(app, person)
    assert client.get(f"/network/projects/{world.project.id}/replicate").status_code == 403
    assert client.submit(f"/network/projects/{world.project.id}/replicate", {}).status_code == 403
    assert db.session.scalar(select(Replication)) is None


def test_a_project_the_reader_may_not_see_cannot_be_asked_for(app, world, make_project):
    draft = make_project(world.epinal, "Brouillon", visibility=Visibility.DRAFT)
    client = client_of(app, world.asker)
    assert client.submit(f"/network/projects/{draft.id}/replicate", {}).status_code == 404


def contacts_block(client, replication_id) -> str:
    page = client.get(f"/network/replications/{replication_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html.split('data-testid="contacts"')[1].split("</div>")[0] if 'data-testid="contacts"' in html else ""


def test_contacts_are_revealed_only_after_acceptance_and_only_to_the_sides(app, world, make_person):
    _client, _ = ask(app, world)
    replication = db.session.scalar(select(Replication))
    asker, answerer, founder = (client_of(app, p) for p in (world.asker, world.answerer, world.founder))
    # Before any answer nobody sees anybody's details.
    for client in (asker, answerer, founder):
        assert contacts_block(client, replication.id) == ""
    # Not even a name: the project's city does not learn who asked until it accepts.
    assert "Alice" not in answerer.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert answerer.submit(f"/network/replications/{replication.id}/answer", {"decision": "accept"}).status_code == 302
    assert "claire@epinal.fr" in contacts_block(asker, replication.id)
    assert "03 29 00 00 02" in contacts_block(asker, replication.id)
    assert "alice@nevers.fr" in contacts_block(answerer, replication.id)
    # The startup has not accepted: it sees nobody, nobody sees it.
    assert contacts_block(founder, replication.id) == ""
    assert "Alice" not in founder.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert "sam@capteurs.fr" not in contacts_block(asker, replication.id)
    assert founder.submit(f"/network/replications/{replication.id}/answer",
                          {"decision": "startup_accept"}).status_code == 302
    assert "sam@capteurs.fr" in contacts_block(asker, replication.id)
    assert "alice@nevers.fr" in contacts_block(founder, replication.id)
    assert "claire@epinal.fr" not in contacts_block(founder, replication.id)
    assert "sam@capteurs.fr" not in contacts_block(answerer, replication.id)
    # Anyone else: not even the page; a network organiser sees the page but no details.
    stranger = client_of(app, world.stranger)
    assert stranger.get(f"/network/replications/{replication.id}").status_code == 404
    staff = client_of(app, make_person(is_staff=True))
    html = staff.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert "alice@nevers.fr" not in html and "claire@epinal.fr" not in html and "sam@capteurs.fr" not in html


def test_answering_twice_is_a_conflict_and_each_step_tells_the_other_side(app, world):
    ask(app, world)
    replication = db.session.scalar(select(Replication))
    answerer = client_of(app, world.answerer)
    url = f"/network/replications/{replication.id}/answer"
    assert answerer.submit(url, {"decision": "decline", "reason": "Pas le moment"}).status_code == 302
    second = answerer.submit(url, {"decision": "accept"})
    assert second.status_code == 409
    db.session.expire_all()
    replication = db.session.get(Replication, replication.id)
    assert replication.answer is Agreement.DECLINED and replication.answer_reason == "Pas le moment"
    assert [s.kind for s in replication.steps] == ["asked", "declined"]
    assert any("Pas le moment" in m.body for m in mails_to("alice@nevers.fr"))
    # The audit row keeps that a reason was given, not its text (issue 19).
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "network.replication.declined"))
    assert entry.details == {"with_reason": True}
    # A decision that is none: 422 naming the field.
    assert answerer.submit(url, {"decision": "maybe"}).status_code == 422


def test_the_asker_cancels_before_an_answer_and_not_after(app, world):
    client, _ = ask(app, world)
    replication = db.session.scalar(select(Replication))
    url = f"/network/replications/{replication.id}/answer"
    # The startup cannot answer for the city, nor the asker accept her own request.
    assert client.submit(url, {"decision": "accept"}).status_code == 403
    assert client_of(app, world.founder).submit(url, {"decision": "accept"}).status_code == 403
    assert client.submit(url, {"decision": "cancel"}).status_code == 302
    assert client_of(app, world.answerer).submit(url, {"decision": "accept"}).status_code == 409
    db.session.expire_all()
    assert db.session.get(Replication, replication.id).is_cancelled


def test_stages_are_recorded_by_the_asking_city_after_acceptance(app, world):
    client, _ = ask(app, world)
    replication = db.session.scalar(select(Replication))
    url = f"/network/replications/{replication.id}/stage"
    assert client.submit(url, {"stage": "exchange"}).status_code == 409  # not accepted yet
    client_of(app, world.answerer).submit(f"/network/replications/{replication.id}/answer", {"decision": "accept"})
    assert client_of(app, world.answerer).submit(url, {"stage": "exchange"}).status_code == 403
    assert client.submit(url, {"stage": "later"}).status_code == 422
    assert client.submit(url, {"stage": "exchange", "note": "Visite à Épinal le 12"}).status_code == 302
    assert client.submit(url, {"stage": "dropped", "note": "Budget coupé"}).status_code == 302
    assert client.submit(url, {"stage": "deployed"}).status_code == 409  # over
    db.session.expire_all()
    replication = db.session.get(Replication, replication.id)
    assert replication.stage is ReplicationStage.DROPPED
    assert [s.kind for s in replication.steps] == ["asked", "accepted", "exchange", "dropped"]
    page = client.get(f"/network/replications/{replication.id}").get_data(as_text=True)
    assert "Visite à Épinal le 12" in page and "Budget coupé" in page
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "network.replication.stage")).all()) == 2


def test_the_inbox_lists_what_each_person_has_to_do(app, world, make_person):
    ask(app, world)
    answerer = client_of(app, world.answerer).get("/network/replications/").get_data(as_text=True)
    assert 'data-testid="to-answer"' in answerer and "Ville de Nevers" in answerer
    asker = client_of(app, world.asker).get("/network/replications/").get_data(as_text=True)
    assert 'data-testid="sent"' in asker and 'data-testid="to-answer"' not in asker
    founder = client_of(app, world.founder).get("/network/replications/").get_data(as_text=True)
    assert 'data-testid="startup"' in founder
    stranger = client_of(app, world.stranger).get("/network/replications/").get_data(as_text=True)
    assert 'data-testid="inbox-empty"' in stranger and "Stationnement" not in stranger


def test_network_figures_say_where_replications_stall(app, world, make_city, make_person):
    ask(app, world)
    first = db.session.scalar(select(Replication))
    client_of(app, world.answerer).submit(f"/network/replications/{first.id}/answer", {"decision": "accept"})
    asker = client_of(app, world.asker)
    asker.submit(f"/network/replications/{first.id}/stage", {"stage": "adapted_plan"})
    asker.submit(f"/network/replications/{first.id}/stage", {"stage": "dropped"})
    staff = client_of(app, make_person(is_staff=True))
    html = staff.get("/network/replications/").get_data(as_text=True)
    stalls = html.split('data-testid="stalls"')[1].split("</table>")[0]
    assert "<td>Adapted plan</td><td>1</td>" in stalls.replace("Plan adapté", "Adapted plan")
    assert "<td>In touch</td><td>0</td>" in stalls.replace("En contact", "In touch")
    # A city contact sees no network-wide figures.
    assert 'data-testid="stalls"' not in asker.get("/network/replications/").get_data(as_text=True)
