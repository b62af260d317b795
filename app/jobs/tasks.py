"""The one huey task: it runs a recorded job inside a Flask app context."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, has_app_context
from app.jobs.queue import huey
from app.jobs.runner import execute_job

_worker_app: Flask | None = None


def bind_worker_app(app: Flask) -> None:
    """Called by `flask jobs worker` before the consumer starts."""
    global _worker_app
    _worker_app = app


@contextmanager
def task_context() -> Iterator[None]:
    """The app context a task runs in: the caller's in immediate mode (tests), else the worker's."""
    if has_app_context():
        yield
        return
    if _worker_app is None:
        raise RuntimeError("start the worker with `flask jobs worker`")
    with _worker_app.app_context():
        yield


@huey.task()
def run_job_task(job_id: int) -> None:
    with task_context():
        execute_job(job_id)

