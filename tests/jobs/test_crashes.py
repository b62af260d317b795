"""Jobs that survive their worker (R10): leases, the sweep, a broken database connection mid-job."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

from app.extensions import db
from app.jobs import runner
from app.jobs.keeper import Keeper
from app.jobs.lease import Claim, JobLost, holding
from app.jobs.models import Job, JobStatus
from app.jobs.registry import RUN_AGAIN, JobError, job_handler
from app.jobs.services import start_job
from app.jobs.sweep import sweep
from app.core.timefmt import utcnow
from tests.conftest import login

RUNS: list[int] = []


@job_handler("test_crash_plain")
def plain_job(job, report):
    RUNS.append(job.id)
    report(0.5, "half way")
    return {"ok": True}


@job_handler("test_crash_again", on_interrupted=lambda job: RUN_AGAIN)
def again_job(job, report):
    RUNS.append(job.id)
    return {"ok": True}


@job_handler("test_crash_told", on_interrupted=lambda job: JobError(f"stopped at {job.message}",
                                                                     result={"done": job.message}))
def told_job(job, report):
    return {}


def dead_job(kind, *, event=None, created_by=None, attempts=1, message="3/10", seconds_ago=5) -> int:
    """A job a killed worker left running: its lease ran out `seconds_ago`."""
    job = Job(kind=kind, params={}, event_id=event.id if event else None, status=JobStatus.RUNNING,
              attempts=attempts, message=message, started_at=utcnow() - timedelta(minutes=2),
              lease_expires_at=utcnow() - timedelta(seconds=seconds_ago), worker="gone:1",
              created_by_id=created_by.id if created_by else None, sent_at=utcnow() - timedelta(minutes=2))
    db.session.add(job)
    db.session.commit()
    return job.id


def reload(job_id) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_job_whose_worker_died_is_failed_with_a_sentence_in_its_organisers_language(event, make_person):
    french, english = make_person(locale="fr"), make_person(locale="en")
    fr_id = dead_job("test_crash_plain", event=event, created_by=french)
    en_id = dead_job("test_crash_plain", event=event, created_by=english)
    alive_id = dead_job("test_crash_plain", event=event, seconds_ago=-20)  # its lease still runs
    swept = sweep()
    assert sorted(swept.failed) == [fr_id, en_id]
    assert reload(alive_id).status == JobStatus.RUNNING
    assert reload(en_id).status == JobStatus.FAILED and "worker running it stopped" in reload(en_id).error
    assert reload(fr_id).finished_at is not None and "s'est arrêté" in reload(fr_id).error


def test_a_kind_safe_to_run_again_is_queued_and_run_again_at_most_a_few_times(event, app):
    RUNS.clear()
    job_id = dead_job("test_crash_again", event=event)
    assert sweep().requeued == [job_id]
    job = reload(job_id)  # immediate mode: sent again, so run again, at once
    assert job.status == JobStatus.DONE and RUNS == [job_id] and job.attempts == 2 and job.sent_at is not None
    worn = dead_job("test_crash_again", event=event, attempts=app.config["JOBS_MAX_ATTEMPTS"])
    assert sweep().failed == [worn] and RUNS == [job_id]
    assert "3" in reload(worn).error


def test_the_kinds_hook_says_what_was_done(event):
    job_id = dead_job("test_crash_told", event=event, message="200/868")
    sweep()
    job = reload(job_id)
    assert job.status == JobStatus.FAILED and job.error == "stopped at 200/868" and job.result == {"done": "200/868"}


def test_a_hook_that_fails_still_ends_the_job(event, monkeypatch):
    def broken(job):
        raise RuntimeError("the hook has a bug")

    job_handler("test_crash_broken_hook", on_interrupted=broken)(plain_job)
    job_id = dead_job("test_crash_broken_hook", event=event)
    sweep()
    assert reload(job_id).status == JobStatus.FAILED and "s'est arrêté" in reload(job_id).error


def test_a_message_delivered_twice_runs_the_job_once(event):
    RUNS.clear()
    job = start_job("test_crash_plain", params={}, event_id=event.id, created_by_id=None)
    runner.execute_job(job.id)  # the queue delivers it again
    assert RUNS == [job.id] and reload(job.id).attempts == 1


def test_a_worker_that_lost_its_job_stores_nothing_more(event):
    """Its lease ran out and the sweep ended the job: the old worker's next report finds it gone."""
    job_id = dead_job("test_crash_plain", event=event)
    sweep()
    with pytest.raises(JobLost):
        runner.renew(Claim(job_id, "test_crash_plain", 1), progress=0.9)
    db.session.rollback()
    assert reload(job_id).status == JobStatus.FAILED and reload(job_id).progress == 0.0


def test_people_looking_at_the_jobs_end_a_dead_one(client, event, make_organiser):
    job_id = dead_job("test_crash_plain", event=event)
    login(client, make_organiser(event))
    data = client.get(f"/manage/e/{event.slug}/jobs/{job_id}.json").get_json()
    assert data["status"] == "failed" and "arrêtée" in data["error"]


# -- the database restarts under a running job ------------------------------------------------------

REFUSALS: list = []


@pytest.fixture
def restarts():
    yield
    while REFUSALS:
        event.remove(db.engine, "do_connect", REFUSALS.pop())


def database_restarts(seconds: float) -> None:
    """Every open connection dropped, and new ones refused for `seconds`, as while a database restarts."""
    back_at = time.monotonic() + seconds
    dbapi = db.engine.dialect.loaded_dbapi

    def refuse(dialect, conn_rec, cargs, cparams):
        if time.monotonic() < back_at:
            raise dbapi.OperationalError("the database system is starting up")

    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            other.commit()
    else:
        connection.connection.dbapi_connection.close()
    db.engine.pool.dispose()
    event.listen(db.engine, "do_connect", refuse)
    REFUSALS.append(refuse)


@job_handler("test_crash_db_restart")
def db_restart_job(job, report):
    report(0.1, "started")
    database_restarts(1.2)
    report(0.5, "half way")  # the progress commit fails
    return {"never": "stored"}


def test_a_job_whose_database_restarts_ends_failed_not_running(event, restarts):
    started = time.monotonic()
    start_job("test_crash_db_restart", params={}, event_id=event.id, created_by_id=None)  # runs inline
    assert 1.2 < time.monotonic() - started < 10  # the failure was recorded once the database was back
    db.session.remove()
    job = db.session.scalar(select(Job))
    assert job.status == JobStatus.FAILED, (job.status, job.error)
    assert job.message == "started" and job.result is None and "Unexpected error" in job.error


def test_the_heartbeat_keeps_a_long_silent_step_alive_and_sweeps(app, event, monkeypatch):
    """A step that reports nothing for longer than the lease keeps its job: the keeper thread renews it."""
    for key, value in {"JOBS_LEASE_SECONDS": 1.0, "JOBS_HEARTBEAT_SECONDS": 0.1, "JOBS_SWEEP_SECONDS": 0.1}.items():
        monkeypatch.setitem(app.config, key, value)
    held = dead_job("test_crash_plain", event=event, seconds_ago=-1)
    dead = dead_job("test_crash_plain", event=event, seconds_ago=1)
    keeper = Keeper(app)
    with holding(Claim(held, "test_crash_plain", 1)):
        keeper.start()
        time.sleep(1.5)  # longer than the lease
        keeper.stop()
        keeper.join(5)
    assert reload(held).status == JobStatus.RUNNING and reload(held).lease_expires_at > utcnow()
    assert reload(dead).status == JobStatus.FAILED
