"""Background jobs: the huey queue, the job kinds features register, their pages and `flask jobs worker`.

Two things here keep a job from blocking anyone (R10): every request sweeps the jobs whose worker is gone
(at most every JOBS_LAZY_SWEEP_SECONDS per process: one indexed query when there is none), so that a new
request of the same kind or a look at the jobs pages never waits for a dead job; and a queue that cannot be
reached answers a 503 that says so, with Retry-After, never a 500.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.core.database_away import is_database_away
from app.core.errors import error_response, loggable_path
from app.core.timefmt import utcnow
from app.extensions import db
from app.jobs import cli, routes
from app.jobs.models import Job, JobStatus
from app.jobs.queue import QUEUE_ERRORS, QueueUnavailable
from app.jobs.sweep import sweep

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again while the queue is away.
QUEUE_RETRY_AFTER = 30
_LAST_SWEEP = "mediane.jobs_last_sweep"


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    cli.init_app(app)
    app.before_request(sweep_dead_jobs)
    for error in (QueueUnavailable, *QUEUE_ERRORS):
        app.register_error_handler(error, queue_unavailable)


def queue_unavailable(error: Exception):
    log.warning("the job queue cannot be reached on %s: %s", loggable_path(), error)
    db.session.rollback()
    message = _("The job queue is unavailable just now: nothing was started and nothing was changed. "
                "Try again in a minute.")
    return error_response(503, message, headers={"Retry-After": str(QUEUE_RETRY_AFTER)})


def sweep_dead_jobs() -> None:
    """End the jobs whose worker is gone before the request looks at them (or refuses to start another)."""
    if request.endpoint in (None, "static"):
        return
    now = time.monotonic()
    state = current_app.extensions.setdefault(_LAST_SWEEP, [0.0])
    if now - state[0] < current_app.config["JOBS_LAZY_SWEEP_SECONDS"]:
        return
    state[0] = now
    try:
        any_dead = db.session.scalar(select(Job.id).where(Job.status == JobStatus.RUNNING,
                                                          Job.lease_expires_at < utcnow()).limit(1))
        if any_dead is not None:
            sweep(resend=False)
    except SQLAlchemyError as error:  # the request goes on: a database that is away answers 503 there
        log.warning("could not sweep the dead jobs on %s", request.path, exc_info=not is_database_away(error))
        db.session.rollback()
