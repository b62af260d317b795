"""The demo's meetings on request (issue 29, "Done when"): settings with sessions on two days and 25 tables, 400+
requests in every state of which 250+ accepted, each one a request the rules allow, dated before the summit and
no later than the demo's last day, the same again from the same seed; the pages show them."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import time

from sqlalchemy import delete, select

from app.auth.services import set_password
from app.core.timefmt import local_to_utc, to_local
from app.demo.meetings import load_meetings
from app.demo.network_replication import LAST
from app.events.models import Event
from app.extensions import db
from app.meetings.requests import rules, settings
from app.meetings.requests.models import (LIVE, MeetingCategoryPair, MeetingProfile, MeetingRequest, MeetingSession,
                                          MeetingSettings, MeetingTable, RequestStatus, Side)
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from tests.conftest import TEST_PASSWORD, login


def _requests(event: Event) -> list[MeetingRequest]:
    return list(db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id)
                                   .order_by(MeetingRequest.id)))


def test_the_demo_has_meeting_settings_and_requests_in_every_state(db, demo_summit):
    event = db.session.get(Event, demo_summit.event_id)
    stored = db.session.get(MeetingSettings, event.id)
    assert stored.is_open and len(settings.tables_of(event)) == 25
    sessions = settings.sessions_of(event)
    assert len({to_local(s.starts_at, event.timezone).date() for s in sessions}) == 2
    requests = _requests(event)
    states = Counter(r.status for r in requests)
    assert len(requests) >= 400 and states[RequestStatus.ACCEPTED] >= 250
    assert set(states) == set(RequestStatus)
    assert "440 requests" in demo_summit.meetings and "accepted 272" in demo_summit.meetings


def test_every_demo_request_is_one_the_rules_allow_and_dated_before_the_summit(db, demo_summit):
    event = db.session.get(Event, demo_summit.event_id)
    pairs = rules.category_pairs(event.id)
    summit = local_to_utc(event.starts_on, time(0), event.timezone)
    live, pending_sent = Counter(), Counter()
    for request in _requests(event):
        requester, recipient = request.requester, request.recipient
        assert (requester.category_id, recipient.category_id) in pairs
        assert requester.status == recipient.status == RegistrationStatus.CONFIRMED
        assert recipient.consent_directory and rules.accepts_requests(recipient)
        assert request.created_at < summit and request.created_at <= LAST
        for moment in (request.answered_at, request.cancelled_at):
            assert moment is None or request.created_at <= moment <= LAST
        if request.status is RequestStatus.EXPIRED:
            assert request.expires_at <= LAST and request.answered_at is None
        if request.status is RequestStatus.PENDING:
            assert request.expires_at > LAST and request.answered_at is None
            pending_sent[requester.id] += 1
        if request.answered_by_id is not None:
            coordinator = recipient.delegation.coordinator if recipient.delegation else None
            assert request.answered_by_id in {recipient.person_id, coordinator and coordinator.person_id}
        for participant in request.participants:
            side = requester if participant.side is Side.REQUESTER else recipient
            assert participant.registration in rules.companions(side)
        if request.status in LIVE:
            live[frozenset((requester.id, recipient.id))] += 1
    assert max(live.values()) == 1 and max(pending_sent.values()) <= 10
    assert sum(1 for r in _requests(event) for _ in r.participants) >= 20


def _fingerprint(event: Event) -> str:
    rows = [f"{r.from_registration_id}>{r.to_registration_id}|{r.status.value}|{r.created_at}|{r.answered_by_id}|"
            f"{len(r.participants)}" for r in _requests(event)]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_the_same_seed_makes_the_same_requests(db, demo_summit):
    event = db.session.get(Event, demo_summit.event_id)
    before = _fingerprint(event)
    for model in (MeetingRequest, MeetingSession, MeetingTable, MeetingCategoryPair):
        db.session.execute(delete(model).where(model.event_id == event.id))
    db.session.execute(delete(MeetingSettings).where(MeetingSettings.event_id == event.id))
    db.session.execute(delete(MeetingProfile))
    db.session.commit()
    organiser = db.session.scalar(select(Person.id).where(Person.email == demo_summit.organiser_email))
    load_meetings(event, 2018, organiser_id=organiser)
    assert _fingerprint(event) == before


def test_the_pages_show_the_demos_requests(db, client, demo_summit):
    event = db.session.get(Event, demo_summit.event_id)
    waiting = next(r for r in _requests(event) if r.status is RequestStatus.PENDING)
    person = waiting.recipient.person
    set_password(person, TEST_PASSWORD)
    db.session.commit()
    login(client, person)
    mine = client.get(f"/e/{event.slug}/meetings/").get_data(as_text=True)
    assert "à traiter" in mine and waiting.requester.person.full_name in mine
    directory = client.get(f"/e/{event.slug}/meetings/directory").get_data(as_text=True)
    assert directory.count('data-testid="directory-entry"') == 24  # a full first page
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    login(client, db.session.scalar(select(Person).where(Person.email == demo_summit.organiser_email)),
          TEST_PASSWORD)
    listed = client.get(f"/manage/e/{event.slug}/meetings/").get_data(as_text=True)
    assert 'data-testid="count-accepted"><span class="stat">272</span>' in listed
    assert listed.count('data-testid="request-row"') == 50
    assert db.session.scalar(select(Registration.id).where(Registration.event_id == event.id))
