"""Sending a meeting request: who may ask whom, what is refused (and then nothing changes), the notice to the person
asked, the acceptance mode that skips the answer."""
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.requests.models import MeetingSettings, RequestStatus
from app.meetings.requests.services import live_between
from app.registrations.models import RegistrationStatus
from tests.meetings.world import ask, build, client_of, mails_to, num_requests, only_request


def test_a_startup_asks_a_mayor_who_is_told_in_her_language(app, world):
    client, response = ask(app, world, world.startup, world.mayor)
    assert response.status_code == 302
    request = only_request()
    assert (request.from_registration_id, request.to_registration_id) == (world.startup.id, world.mayor.id)
    assert request.status is RequestStatus.PENDING and request.reason.value == "discover"
    assert request.expires_at > request.created_at
    mail = mails_to("maire@nevers.fr")[0]
    assert "Capteurs du Morvan" in mail.subject and "souhaite vous rencontrer" in mail.subject
    assert "/meetings/answer/" in mail.body and "Nous aimerions vous présenter nos capteurs." in mail.body
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "meetings.request.send"))
    page = client.get(f"/e/{world.event.slug}/meetings/").get_data(as_text=True)
    assert "Marie Lefèvre" in page.split('data-testid="sent"')[1]


@pytest.mark.parametrize("who, to, status", [
    ("visitor", "mayor", 403),        # a visitor's category asks no one
    ("startup", "other_startup", 403),  # startups do not ask startups
    ("mayor", "company", 403),        # officials ask startups, not companies
    ("startup", "hidden", 404),       # not in the list of attendees: nobody finds her
    ("startup", "startup", 422),      # not to oneself
])
def test_who_may_not_ask_whom(app, world, who, to, status):
    _, response = ask(app, world, getattr(world, who), getattr(world, to))
    assert response.status_code == status
    assert num_requests() == 0 and not mails_to()


def test_an_official_asks_a_startup_the_other_way(app, world):
    _, response = ask(app, world, world.mayor, world.startup, reason="purchase")
    assert response.status_code == 302
    # Sam reads English.
    assert mails_to("sam@capteurs.fr")[0].subject.endswith("would like to meet you")


def test_not_twice_while_one_stands_either_way(app, world):
    ask(app, world, world.startup, world.mayor)
    client, response = ask(app, world, world.startup, world.mayor, message="Encore")
    assert response.status_code == 409 and "déjà une demande" in response.get_data(as_text=True)
    _, response = ask(app, world, world.mayor, world.startup)
    assert response.status_code == 409
    assert num_requests() == 1
    # Once declined, a new request may be sent.
    mayor = client_of(app, world.mayor)
    assert mayor.submit(f"/e/{world.event.slug}/meetings/{only_request().id}/decide",
                        {"decision": "decline"}).status_code == 302
    _, response = ask(app, world, world.startup, world.mayor, message="Une autre idée")
    assert response.status_code == 302 and num_requests() == 2


@pytest.mark.parametrize("data, text", [
    ({"reason": "bribe"}, "motifs proposés"),
    ({"reason": ""}, "Choisissez le motif"),
    ({"message": "x" * 501}, "500"),
    ({"participants": "999"}, "délégation"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(app, world, data, text):
    _, response = ask(app, world, world.mayor, world.startup, **data)
    assert response.status_code == 422
    assert text in response.get_data(as_text=True) or text.lower() in response.get_data(as_text=True).lower()
    assert num_requests() == 0 and not mails_to()


def test_an_official_brings_members_of_her_delegation_along(app, world):
    _, response = ask(app, world, world.mayor, world.startup, participants=[str(world.deputy.id)])
    assert response.status_code == 302
    assert [p.registration_id for p in only_request().participants] == [world.deputy.id]


def test_closed_requests_and_unconfirmed_registrations_are_refused(app, world):
    db.session.get(MeetingSettings, world.event.id).is_open = False
    db.session.commit()
    _, response = ask(app, world, world.startup, world.mayor)
    assert response.status_code == 403
    db.session.get(MeetingSettings, world.event.id).is_open = True
    world.startup.status = RegistrationStatus.PENDING
    db.session.commit()
    _, response = ask(app, world, world.startup, world.mayor)
    assert response.status_code == 403 and num_requests() == 0


def test_accepted_at_once_skips_the_answer(app, event, make_registration):
    world = build(event, make_registration, acceptance="at_once")
    _, response = ask(app, world, world.startup, world.mayor)
    assert response.status_code == 302
    request = only_request()
    assert request.status is RequestStatus.ACCEPTED and request.accepted_at_once and request.answered_by_id is None
    mail = mails_to("maire@nevers.fr")[0]
    assert "/meetings/answer/" not in mail.body and "acceptées d'office" in mail.body
    assert live_between(world.mayor, world.startup) == request
