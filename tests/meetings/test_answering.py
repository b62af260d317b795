"""Answering a request: accept, decline with a reason, cancel; the delegation's coordinator answering for her members
and bringing others along; every step told to the other side; a request answered twice, or by someone else."""
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.requests.models import MeetingRequest, RequestStatus, Side
from tests.meetings.world import ask, client_of, mails_to, only_request


@pytest.fixture
def asked(app, world):
    """The startup asked the mayor; her deputy is asked by the company."""
    ask(app, world, world.startup, world.mayor)
    return only_request()


def decide(app, world, registration, request, **data):
    return client_of(app, registration).submit(f"/e/{world.event.slug}/meetings/{request.id}/decide", data)


def test_the_mayor_accepts_and_the_startup_is_told(app, world, asked):
    response = decide(app, world, world.mayor, asked, decision="accept", back="list")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/meetings/#m{asked.id}")
    db.session.refresh(asked)
    assert asked.status is RequestStatus.ACCEPTED and asked.answered_by_id == world.mayor.person_id
    told = mails_to("sam@capteurs.fr")[-1]
    assert told.subject.endswith("is accepted")  # Sam reads English
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "meetings.request.accept"))


def test_a_decline_carries_its_reason_to_the_other_side(app, world, asked):
    assert decide(app, world, world.mayor, asked, decision="decline",
                  reason="Mon agenda est complet ce jour-là.").status_code == 302
    db.session.refresh(asked)
    assert asked.status is RequestStatus.DECLINED and asked.answer_reason == "Mon agenda est complet ce jour-là."
    assert "Mon agenda est complet ce jour-là." in mails_to("sam@capteurs.fr")[-1].body
    # The audit keeps that a reason was given, not the text she typed (issue 19).
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "meetings.request.decline"))
    assert entry.details == {"on_behalf": False, "with_reason": True}


def test_answering_twice_is_a_conflict_and_changes_nothing(app, world, asked):
    decide(app, world, world.mayor, asked, decision="accept")
    before = len(mails_to())
    response = decide(app, world, world.mayor, asked, decision="decline")
    assert response.status_code == 409
    db.session.refresh(asked)
    assert asked.status is RequestStatus.ACCEPTED and len(mails_to()) == before


def test_only_the_person_asked_or_her_coordinator_answers(app, world, asked):
    # The requester may not accept her own request; a stranger does not see it at all.
    assert decide(app, world, world.startup, asked, decision="accept").status_code == 403
    assert decide(app, world, world.company, asked, decision="accept").status_code == 404
    assert client_of(app, world.company).get(f"/e/{world.event.slug}/meetings/{asked.id}").status_code == 404
    db.session.refresh(asked)
    assert asked.status is RequestStatus.PENDING


def test_cancelling_who_may_and_when(app, world, asked):
    # The person asked declines a waiting request rather than cancelling it.
    assert decide(app, world, world.mayor, asked, decision="cancel").status_code == 409
    decide(app, world, world.mayor, asked, decision="accept")
    # Once accepted, either side cancels; the other side is told, with the reason.
    assert decide(app, world, world.mayor, asked, decision="cancel", reason="Conseil municipal avancé").status_code == 302
    db.session.refresh(asked)
    assert asked.status is RequestStatus.CANCELLED and asked.cancelled_by_id == world.mayor.person_id
    assert "Conseil municipal avancé" in mails_to("sam@capteurs.fr")[-1].body
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "meetings.request.cancel"))
    assert entry.details == {"with_reason": True} and "Conseil" not in str(entry.details)
    assert decide(app, world, world.startup, asked, decision="cancel").status_code == 409


def test_the_requester_cancels_a_waiting_request(app, world, asked):
    assert decide(app, world, world.startup, asked, decision="cancel").status_code == 302
    db.session.refresh(asked)
    assert asked.status is RequestStatus.CANCELLED
    assert mails_to("maire@nevers.fr")[-1].subject.startswith("Sommet des villes moyennes 2027 : une rencontre est annulée")


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}, {"decision": "accept", "reason": "x" * 501},
                                  {"decision": "decline", "participants": "1"}])
def test_a_bad_answer_is_refused_with_a_message(app, world, asked, data):
    response = decide(app, world, world.mayor, asked, **data)
    assert response.status_code == 422
    assert 'data-testid="meeting-error"' in response.get_data(as_text=True)
    db.session.refresh(asked)
    assert asked.status is RequestStatus.PENDING


def test_the_coordinator_sees_her_members_requests_and_accepts_for_them_with_members_along(app, world):
    ask(app, world, world.company, world.director)
    request = only_request()
    coordinator = client_of(app, world.mayor)
    page = coordinator.get(f"/e/{world.event.slug}/meetings/").get_data(as_text=True)
    assert "Hugo Petit" in page.split('data-testid="delegation-requests"')[1]
    response = coordinator.submit(f"/e/{world.event.slug}/meetings/{request.id}/decide",
                                  {"decision": "accept", "participants": [str(world.deputy.id)]})
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.status is RequestStatus.ACCEPTED and request.answered_by_id == world.mayor.person_id
    assert [(p.registration_id, p.side) for p in request.participants] == [(world.deputy.id, Side.RECIPIENT)]
    # The company is told who answered; the director that her coordinator answered for her.
    assert "Marie Lefèvre" in mails_to(world.company.person.email)[-1].body
    assert "pour vous" in mails_to(world.director.person.email)[-1].body
    # A member of the delegation is not its coordinator: she answers for herself only.
    ask(app, world, world.startup, world.mayor)
    other = db.session.scalar(select(MeetingRequest).where(MeetingRequest.to_registration_id == world.mayor.id))
    assert client_of(app, world.deputy).submit(f"/e/{world.event.slug}/meetings/{other.id}/decide",
                                               {"decision": "accept"}).status_code == 404


def test_the_coordinator_changes_who_comes_along_and_the_other_side_is_told(app, world, asked):
    coordinator = client_of(app, world.mayor)
    url = f"/e/{world.event.slug}/meetings/{asked.id}/participants"
    assert coordinator.submit(url, {"participants": [str(world.deputy.id), str(world.director.id)]}).status_code == 302
    db.session.refresh(asked)
    assert sorted(p.registration_id for p in asked.participants) == sorted([world.deputy.id, world.director.id])
    assert "Paul Girard" in mails_to("sam@capteurs.fr")[-1].body
    # Someone of another delegation is refused; the list stays.
    assert coordinator.submit(url, {"participants": [str(world.company.id)]}).status_code == 422
    db.session.refresh(asked)
    assert len(asked.participants) == 2
    # The same list again changes nothing and tells no one.
    before = len(mails_to())
    coordinator.submit(url, {"participants": [str(world.deputy.id), str(world.director.id)]})
    assert len(mails_to()) == before
