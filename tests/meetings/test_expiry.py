"""Requests left unanswered expire: the periodic pass marks those past their time, tells the requester, and leaves
the others; a second pass has nothing left to do. A request never waits past the edition's last evening."""
from datetime import datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from app.core.timefmt import utcnow
from app.extensions import db
from app.jobs.queue import huey
from app.meetings.requests import expiry, services
from app.meetings.requests.models import MeetingRequest, RequestStatus
from tests.meetings.world import ask, client_of, mails_to, only_request


def test_a_pass_expires_the_requests_past_their_time_and_tells_the_requester(app, world):
    ask(app, world, world.startup, world.mayor)
    ask(app, world, world.company, world.director)
    late, fresh = db.session.scalars(select(MeetingRequest).order_by(MeetingRequest.id)).all()
    late.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert expiry.expire_due() == 1
    db.session.refresh(late)
    db.session.refresh(fresh)
    assert (late.status, fresh.status) == (RequestStatus.EXPIRED, RequestStatus.PENDING)
    assert mails_to("sam@capteurs.fr")[-1].subject.endswith("expired")
    assert expiry.expire_due() == 0  # nothing twice


def test_an_expired_request_is_no_longer_answered_even_before_the_pass(app, world):
    ask(app, world, world.startup, world.mayor)
    request = only_request()
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client_of(app, world.mayor).submit(f"/e/{world.event.slug}/meetings/{request.id}/decide",
                                                  {"decision": "accept"})
    assert response.status_code == 409
    db.session.refresh(request)
    assert request.status is RequestStatus.PENDING


def test_a_request_never_waits_past_the_editions_last_evening(world):
    near_the_end = services.expiry_of(world.event, 7, services.local_to_utc(world.event.ends_on, services.time(9),
                                                                             world.event.timezone))
    assert near_the_end.date() == world.event.ends_on


def test_the_periodic_task_and_the_command(app, world):
    assert "expire_requests_periodically" in {task.name for task in huey.read_periodic(datetime(2027, 6, 2, 9, 25))}
    assert "expire_requests_periodically" not in {task.name for task in huey.read_periodic(datetime(2027, 6, 2, 9, 30))}
    ask(app, world, world.startup, world.mayor)
    only_request().expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = CliRunner().invoke(app.cli, ["meetings", "expire"], obj=None, catch_exceptions=False)
    assert "Expired 1 meeting request(s)." in result.output
