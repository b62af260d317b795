"""Limits that stop one account from flooding the others: requests waiting for an answer at once, and attempts per
hour counted by the house's rate counter (a refused attempt counts too). Both configurable, both a 429 that says so
and stores nothing."""
import threading
from datetime import datetime

import pytest

from app.core.ratelimit import count_request
from app.events.models import CategoryCode
from app.extensions import db
from app.meetings.errors import MeetingError
from app.meetings.requests import services
from app.meetings.requests.models import MeetingThrottle
from app.registrations.models import Registration
from app.registrations.services import approve
from tests.meetings.world import ask, build, mails_to, num_requests


@pytest.fixture
def officials(event, make_registration, world):
    """Five more mayors open to requests."""
    made = [make_registration(event, CategoryCode.ELU, first_name="Élue", last_name=f"N{n}", consent_directory=True,
                              territory=f"Ville {n}") for n in range(5)]
    approve(event, [r.id for r in made], actor_id=None)
    db.session.commit()
    return made


def test_at_most_n_requests_wait_for_an_answer(app, world, officials, monkeypatch):
    monkeypatch.setitem(app.config, "MEETING_REQUESTS_MAX_PENDING", 2)
    for official in officials[:2]:
        assert ask(app, world, world.startup, official)[1].status_code == 302
    _, response = ask(app, world, world.startup, officials[2])
    assert response.status_code == 429
    assert "2 demandes en attente de réponse" in response.get_data(as_text=True)
    assert num_requests() == 2 and len(mails_to()) == 2
    # Another person is not held back by the startup's requests.
    assert ask(app, world, world.company, officials[2])[1].status_code == 302


def test_attempts_per_hour_are_counted_refused_ones_too(app, world, officials, monkeypatch):
    monkeypatch.setitem(app.config, "MEETING_REQUESTS_PER_HOUR", 3)
    assert ask(app, world, world.startup, officials[0])[1].status_code == 302
    assert ask(app, world, world.startup, officials[1], reason="bribe")[1].status_code == 422  # refused: counts
    assert ask(app, world, world.startup, officials[2])[1].status_code == 302
    _, response = ask(app, world, world.startup, officials[3])
    assert response.status_code == 429
    assert "dans la dernière heure" in response.get_data(as_text=True)
    assert num_requests() == 2
    assert db.session.get(MeetingThrottle, world.startup.id).rate_count == 4
    # Someone else still sends.
    assert ask(app, world, world.company, officials[3])[1].status_code == 302


def test_the_hour_starts_again(world):
    """The house's counter with a window of an hour: a new hour, a new count."""
    services.count_attempt(world.startup.id, now=datetime(2027, 5, 1, 9, 59))
    assert count_request(MeetingThrottle, world.startup.id, now=datetime(2027, 5, 1, 9, 59, 30), window=3600) == 2
    assert count_request(MeetingThrottle, world.startup.id, now=datetime(2027, 5, 1, 10, 0, 5), window=3600) == 1


def test_accepted_at_once_is_still_held_to_the_hour(app, event, make_registration, monkeypatch):
    world = build(event, make_registration, acceptance="at_once")
    monkeypatch.setitem(app.config, "MEETING_REQUESTS_PER_HOUR", 1)
    assert ask(app, world, world.startup, world.mayor)[1].status_code == 302
    assert ask(app, world, world.startup, world.deputy)[1].status_code == 429
    assert num_requests() == 1


def _send_at_once(app, requester_id: int, recipient_ids: list[int]) -> tuple[list[str], list[str]]:
    """Each recipient asked by `requester_id` in a thread of its own, all at the same instant: what each got."""
    start = threading.Barrier(len(recipient_ids))
    sent, refused, errors = [], [], []

    def send(recipient_id: int):
        with app.app_context():
            try:
                requester = db.session.get(Registration, requester_id)
                start.wait()
                services.count_attempt(requester_id)
                services.request_meeting(requester.event, requester, recipient_id,
                                         services.RequestInput(reason="discover"), actor=requester.person)
                sent.append(recipient_id)
            except MeetingError as error:
                refused.append(error.code)
            except Exception as exc:  # noqa: BLE001 - anything else is a failure
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(i,)) for i in recipient_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return sent, refused


def test_requests_sent_at_the_same_instant_keep_to_the_limit(app, world, officials, monkeypatch):
    monkeypatch.setitem(app.config, "MEETING_REQUESTS_MAX_PENDING", 3)
    sent, refused = _send_at_once(app, world.startup.id, [o.id for o in officials])
    assert len(sent) == 3 and refused == ["too_many_pending"] * 2
    assert num_requests() == 3


def test_the_same_request_sent_twice_at_once_is_stored_once(app, world):
    sent, refused = _send_at_once(app, world.startup.id, [world.mayor.id] * 4)
    assert len(sent) == 1 and refused == ["already_requested"] * 3
    assert num_requests() == 1 and len(mails_to("maire@nevers.fr")) == 1
