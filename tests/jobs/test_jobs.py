"""Background jobs: status, progress, failure and retries that do not duplicate (R8)."""
import pytest
from sqlalchemy import func, select

from app.core.transaction import atomic
from app.extensions import db
from app.jobs import services as job_services
from app.jobs.models import Job, JobStatus
from app.jobs.registry import JobError, job_handler
from app.jobs.services import start_job
from app.people.models import Person
from tests.conftest import login

RUNS: list[int] = []


@job_handler("test_count")
def count_job(job, report):
    report(0.5, "half way")
    RUNS.append(job.id)
    return {"counted": job.params["n"]}


@job_handler("test_fail")
def failing_job(job, report):
    raise JobError("the file has gone")


def test_a_job_runs_to_done_with_its_result(event):
    job = start_job("test_count", params={"n": 3}, event_id=event.id, created_by_id=None)
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.progress == 1.0
    assert job.result == {"counted": 3} and job.message == "half way"
    assert job.started_at and job.finished_at


def test_a_failing_job_is_marked_failed_with_its_reason(event):
    job = start_job("test_fail", params={}, event_id=event.id, created_by_id=None)
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.error == "the file has gone"


def test_a_retried_request_does_not_start_a_second_job(event):
    RUNS.clear()
    first = start_job("test_count", params={"n": 1}, event_id=event.id, created_by_id=None, dedupe_key="k-1")
    second = start_job("test_count", params={"n": 1}, event_id=event.id, created_by_id=None, dedupe_key="k-1")
    assert first.id == second.id and RUNS == [first.id]
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_organisers_follow_their_jobs(client, event, make_organiser, make_event):
    job = start_job("test_count", params={"n": 2}, event_id=event.id, created_by_id=None)
    login(client, make_organiser(event))
    assert client.get(f"/manage/e/{event.slug}/jobs/").status_code == 200
    data = client.get(f"/manage/e/{event.slug}/jobs/{job.id}.json").get_json()
    assert data["status"] == "done" and data["progress"] == 1.0
    other = make_event(slug="autre", name="Autre")
    assert client.get(f"/manage/e/{other.slug}/jobs/{job.id}.json").status_code == 403


def test_a_job_started_inside_a_unit_of_work_is_queued_only_after_its_commit(event, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(job_services, "run_job_task", queued.append)
    with atomic():
        job = start_job("test_count", params={"n": 1}, event_id=event.id, created_by_id=None, dedupe_key="k-2")
        assert queued == []  # the worker would not find the row yet
        again = start_job("test_count", params={"n": 1}, event_id=event.id, created_by_id=None, dedupe_key="k-2")
        assert again.id == job.id
    assert queued == [job.id]


def test_a_job_started_by_a_unit_of_work_that_fails_is_neither_stored_nor_queued(event, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(job_services, "run_job_task", queued.append)
    with pytest.raises(RuntimeError):
        with atomic():
            start_job("test_count", params={"n": 1}, event_id=event.id, created_by_id=None)
            raise RuntimeError("a later step fails")
    db.session.remove()
    assert queued == []
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


@atomic()
def _add_person(email):
    """A service: called on its own, it commits."""
    db.session.add(Person(email=email, first_name="Inès", last_name="Roux"))


@job_handler("test_half_way")
def half_way_job(job, report):
    report(0.1, "starting")
    _add_person("first@example.org")
    raise JobError("the second step fails")


def test_a_service_inside_a_job_does_not_commit_half_of_the_job(event):
    job_id = start_job("test_half_way", params={}, event_id=event.id, created_by_id=None).id
    db.session.remove()
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.FAILED and job.error == "the second step fails" and job.message == "starting"
    assert db.session.scalar(select(func.count()).select_from(Person).where(Person.email == "first@example.org")) == 0


def test_a_concurrent_start_with_the_same_dedupe_key_gets_the_first_job(event, monkeypatch):
    first_id = start_job("test_count", params={"n": 1}, event_id=event.id, created_by_id=None, dedupe_key="k-3").id
    look_up, calls = job_services._job_with_key, []

    def miss_the_first_look(key):  # the other request commits its job between this one's look-up and insert
        calls.append(key)
        return None if len(calls) == 1 else look_up(key)

    monkeypatch.setattr(job_services, "_job_with_key", miss_the_first_look)
    again = start_job("test_count", params={"n": 1}, event_id=event.id, created_by_id=None, dedupe_key="k-3")
    assert again.id == first_id and len(calls) == 2
    assert db.session.scalar(select(func.count()).select_from(Job)) == 1
