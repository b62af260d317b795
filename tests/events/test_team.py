"""Organisers add and remove colleagues; role changes are audited (S10)."""
import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import EventRole
from app.events import team
from app.extensions import db
from app.mail.models import OutboxMessage
from app.people.models import Person
from tests.conftest import login
from tests.forged_host import forged_login, forged_submit, links_in


def test_organiser_invites_a_colleague_who_sets_a_password(client, app, event, make_organiser):
    organiser = make_organiser(event)
    login(client, organiser)
    response = client.submit(f"/manage/e/{event.slug}/team/", {"email": "Adjointe@Nevers.fr", "first_name": "Aline",
                                                              "last_name": "Roux"})
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "adjointe@nevers.fr"))
    path = re.search(r"http://[^/]+(/password/reset/\S+)", mail.body).group(1)
    colleague = app.test_client()
    assert colleague.submit(path, {"password": "colleague password", "confirm": "colleague password"}).status_code == 302
    colleague.submit("/login", {"email": "adjointe@nevers.fr", "password": "colleague password"})
    assert colleague.get(f"/manage/e/{event.slug}/registrations").status_code == 200
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "role.grant" in actions


def test_bad_invitations_are_refused_and_store_nothing(client, event, make_organiser):
    organiser = make_organiser(event)
    login(client, organiser)
    url = f"/manage/e/{event.slug}/team/"
    assert client.submit(url, {"email": "pas-un-email"}).status_code == 422
    assert client.submit(url, {"email": "new@example.org"}).status_code == 422  # unknown person, no name
    assert client.submit(url, {"email": organiser.email}).status_code == 422  # already an organiser
    assert db.session.scalar(select(Person).where(Person.email == "new@example.org")) is None


def test_organisers_remove_others_but_not_themselves(client, event, make_organiser):
    me, other = make_organiser(event), make_organiser(event)
    login(client, me)
    assert client.submit(f"/manage/e/{event.slug}/team/{me.id}/remove").status_code == 400
    assert client.submit(f"/manage/e/{event.slug}/team/{other.id}/remove").status_code == 302
    other_client = client.application.test_client()
    login(other_client, other)
    assert other_client.get(f"/manage/e/{event.slug}/").status_code == 403
    assert "role.revoke" in db.session.scalars(select(AuditEntry.action)).all()


def test_an_invitation_that_fails_half_way_leaves_nothing(event, make_organiser, monkeypatch):
    """The role, the new account and the e-mail are committed together, or not at all."""
    def broken_mail(*args, **kwargs):
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr(team, "send_mail", broken_mail)
    organiser = make_organiser(event)
    with pytest.raises(RuntimeError):
        team.add_organiser(event, email="new@example.org", first_name="Nour", last_name="Benali", inviter=organiser)
    assert db.session.scalar(select(Person).where(Person.email == "new@example.org")) is None
    assert db.session.scalars(select(EventRole.person_id)).all() == [organiser.id]


def test_invitation_link_uses_the_public_address_whatever_the_host(app, client, event, make_organiser):
    forged_login(client, make_organiser(event))
    response = forged_submit(client, f"/manage/e/{event.slug}/team/", {"email": "adjointe@nevers.fr",
                                                                     "first_name": "Aline", "last_name": "Roux"})
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "adjointe@nevers.fr"))
    [link] = links_in(mail.body)
    assert link.startswith(f"{app.config['PUBLIC_URL']}/password/reset/")
