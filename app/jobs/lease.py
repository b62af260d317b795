"""A job's lease: the worker that takes a job holds it for JOBS_LEASE_SECONDS, and renews it while it lives.

A worker takes a queued job with one conditional UPDATE (queued -> running, attempts + 1), so that a message
delivered twice runs the job once. Every later write of the job's status by that worker names the attempt it
took: a worker whose lease ran out, and whose job the sweep gave up or handed to another worker, finds no row
to update (JobLost) and stores nothing more.
"""
from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from app.core.database_away import sqlite_busy_timeout_ms
from app.core.timefmt import utcnow
from app.extensions import db
from app.jobs.models import Job, JobStatus


class JobLost(Exception):
    """The job is no longer this worker's: its lease ran out and the sweep ended it or queued it again."""


@dataclass(frozen=True)
class Claim:
    """A job taken by this process: its id and kind, and the attempt that fences its writes."""

    job_id: int
    kind: str
    attempt: int


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def lease_end(now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])


def held_by(claim: Claim):
    """The WHERE clause of a write by the worker holding `claim`."""
    return (Job.id == claim.job_id) & (Job.status == JobStatus.RUNNING) & (Job.attempts == claim.attempt)


def renew(claim: Claim, **values) -> None:
    """Renew the lease (and write `values`) in the current transaction; JobLost if the job is no longer ours."""
    db.session.flush()
    statement = update(Job).where(held_by(claim)).values(lease_expires_at=lease_end(), **values)
    if db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount != 1:
        raise JobLost(f"job {claim.job_id} (attempt {claim.attempt}) is no longer held by this worker")


# -- the jobs this process holds, for its heartbeat ----------------------------------------------------

_held: set[Claim] = set()
_held_lock = threading.Lock()


@contextmanager
def holding(claim: Claim) -> Iterator[None]:
    with _held_lock:
        _held.add(claim)
    try:
        yield
    finally:
        with _held_lock:
            _held.discard(claim)


def held_claims() -> list[Claim]:
    with _held_lock:
        return list(_held)


@contextmanager
def short_lock_wait(milliseconds: int = 2000) -> Iterator[None]:
    """On SQLite, wait at most `milliseconds` for the write lock (a job's long transaction may hold it): the
    heartbeat and the sweeps try again later rather than hang. Nothing changes on PostgreSQL."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(milliseconds)}")
    try:
        yield
    finally:
        try:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={sqlite_busy_timeout_ms()}")  # as app/__init__.py sets it
        except Exception:  # noqa: BLE001 - a dead connection is dropped by the pool; keep the first error
            pass
