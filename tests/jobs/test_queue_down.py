"""No job row without its message (R10): the queue away refuses plainly (503, Retry-After), never a 500;
a job stored but never sent, or whose message was lost, is sent again by the sweep."""
import socket
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.badging import services as badging
from app.core.timefmt import utcnow
from app.demonstrator.plans.models import VisitPlan
from app.events.models import CategoryCode
from app.extensions import db
from app.jobs import services as job_services
from app.jobs.models import Job, JobStatus
from app.jobs.queue import QueueUnavailable, huey, make_huey
from app.jobs.registry import job_handler
from app.jobs.services import start_job
from app.jobs.sweep import queued_job_ids, sweep
from app.registrations.services import approve
from tests.conftest import login
from tests.demonstrator.conftest import world  # noqa: F401  (a small demonstrator to plan)


@job_handler("test_queue_plain")
def plain_job(job, report):
    return {}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def queue_state():
    saved = huey.storage, huey.immediate
    huey.immediate = False
    yield
    huey.immediate = False
    huey.storage = saved[0]
    huey.immediate = saved[1]


@pytest.fixture
def queue_down(queue_state):
    """REDIS_URL pointing at a port where nothing listens."""
    huey.storage = make_huey("mediane-j1-down", redis_url=f"redis://127.0.0.1:{closed_port()}/7").storage


@pytest.fixture
def queue_up(queue_state, tmp_path):
    huey.storage = make_huey("mediane-j1-up", redis_url="", sqlite_path=str(tmp_path / "huey.db")).storage


def job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


def test_a_job_is_refused_and_nothing_stored_when_the_queue_cannot_be_reached(event, queue_down):
    with pytest.raises(QueueUnavailable):
        start_job("test_queue_plain", params={}, event_id=event.id, created_by_id=None)
    db.session.rollback()
    assert job_count() == 0


def test_printing_badges_while_the_queue_is_down_says_so_with_a_503(client, event, make_organiser,
                                                                    make_registration, queue_down):
    registration = make_registration(event, CategoryCode.VISITEUR)
    approve(event, [registration.id], actor_id=None)
    db.session.commit()
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/badges/print", {"sheet": "a6"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "file des tâches est indisponible" in response.get_data(as_text=True)
    api = client.get(f"/manage/e/{event.slug}/jobs/1.json", headers={"Accept": "application/json"})
    assert api.status_code == 404  # nothing was stored
    assert job_count() == 0
    assert badging.selected(event, badging.Selection())  # the print can be asked again


def test_planning_while_the_queue_is_down_says_so_and_stores_no_plan(client, world, make_organiser, queue_down):
    event = world.event
    login(client, make_organiser(event))
    response = client.submit(f"/manage/e/{event.slug}/demonstrator/plans/compute", {"time_limit": "2"})
    assert response.status_code == 503 and "file des tâches est indisponible" in response.get_data(as_text=True)
    assert job_count() == 0 and db.session.scalar(select(func.count()).select_from(VisitPlan)) == 0


def test_a_job_stored_when_the_queue_went_away_after_the_check_is_sent_by_the_sweep(event, queue_down,
                                                                                      monkeypatch, tmp_path):
    monkeypatch.setattr(job_services, "check_queue", lambda: None)  # it answered, then went away
    job_id = start_job("test_queue_plain", params={}, event_id=event.id, created_by_id=None).id
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.QUEUED and job.sent_at is None  # kept, marked unsent
    assert sweep(now=utcnow() + timedelta(seconds=10)).resent == []  # still down: nothing lost, nothing sent
    huey.storage = make_huey("mediane-j1-back", redis_url="", sqlite_path=str(tmp_path / "huey.db")).storage
    assert sweep(now=utcnow() + timedelta(seconds=10)).resent == [job_id]
    assert queued_job_ids() == {job_id}
    db.session.expire_all()
    assert db.session.get(Job, job_id).sent_at is not None


def test_a_lost_message_is_sent_again_and_one_waiting_is_not(event, queue_up):
    lost = start_job("test_queue_plain", params={}, event_id=event.id, created_by_id=None).id
    waiting = start_job("test_queue_plain", params={}, event_id=event.id, created_by_id=None).id
    huey.storage.flush_queue()  # a worker took both messages and died before starting them, say
    job_services.run_job_task(waiting)  # ... and the second one was sent again meanwhile
    long_ago = utcnow() - timedelta(minutes=5)
    db.session.execute(update(Job).values(sent_at=long_ago))
    db.session.commit()
    assert sweep().resent == [lost]
    assert sorted(queued_job_ids()) == [lost, waiting]
