"""Jobs through the real queue and a real consumer, as in production (not immediate mode)."""
import signal
import threading
import time
import uuid

import pytest
from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer

from app.extensions import db
from app.jobs import queue
from app.jobs.models import Job, JobStatus
from app.jobs.queue import huey, make_huey
from app.jobs.registry import job_handler
from app.jobs.services import start_job
from app.jobs.tasks import bind_worker_app


@job_handler("test_worker_echo")
def echo_job(job, report):
    report(0.5, "working")
    return {"echo": job.params["word"], "thread": threading.current_thread().name}


@pytest.fixture
def real_queue(app, tmp_path, monkeypatch):
    """The app's huey on its real storage (a SQLite temp file, or Redis when REDIS_URL is set) under a queue name
    of its own, with a consumer thread."""
    monkeypatch.setattr(queue.Config, "HUEY_SQLITE_PATH", str(tmp_path / "huey.db"))
    huey.immediate = False
    huey.storage = make_huey(f"mediane-test-{uuid.uuid4().hex[:8]}").storage
    bind_worker_app(app)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer = Consumer(huey, workers=1, worker_type="thread", periodic=False, check_worker_health=False)
    consumer.start()  # worker threads; it also installs signal handlers, restored below
    yield
    consumer.stop(graceful=True)
    huey.storage.flush_all()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    huey.immediate = True


def test_a_job_waits_in_the_queue_and_a_worker_runs_it(real_queue, event):
    job = start_job("test_worker_echo", params={"word": "Nevers"}, event_id=event.id, created_by_id=None)
    deadline = time.monotonic() + 20
    status = None
    while time.monotonic() < deadline:
        db.session.expire_all()
        status = db.session.get(Job, job.id).status
        if status in (JobStatus.DONE, JobStatus.FAILED):
            break
        time.sleep(0.1)
    finished = db.session.get(Job, job.id)
    assert status == JobStatus.DONE, finished.error
    assert finished.result["echo"] == "Nevers"
    assert finished.result["thread"] != threading.current_thread().name  # not run in the request's thread


def test_the_queue_is_sqlite_by_default_and_redis_when_configured(monkeypatch):
    monkeypatch.setattr(queue.Config, "REDIS_URL", None)
    assert isinstance(make_huey(), SqliteHuey)
    monkeypatch.setattr(queue.Config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    redis_huey = make_huey()
    assert isinstance(redis_huey, RedisHuey)
    redis_huey.storage.conn.close()
