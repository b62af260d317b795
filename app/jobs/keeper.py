"""The worker's keeper: a thread that renews the leases of the jobs this process runs (the heartbeat: a long
step that reports nothing keeps its job) and sweeps every JOBS_SWEEP_SECONDS (huey's periodic tasks run at
most once a minute, too coarse to end a dead job within a minute of its worker's death)."""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from app.core.transaction import atomic
from app.extensions import db
from app.jobs.lease import JobLost, held_claims, renew, short_lock_wait
from app.jobs.sweep import sweep

log = logging.getLogger(__name__)


def renew_held() -> int:
    """Renew the lease of every job this process runs; the number renewed."""
    renewed = 0
    for claim in held_claims():
        try:
            with atomic(), short_lock_wait():
                renew(claim)
            renewed += 1
        except JobLost:
            log.warning("job %s: no longer held by this worker (its lease ran out)", claim.job_id)
        except SQLAlchemyError:
            log.warning("job %s: could not renew its lease now; next beat", claim.job_id, exc_info=True)
            db.session.rollback()
    return renewed


class Keeper(threading.Thread):
    """Beats every JOBS_HEARTBEAT_SECONDS, sweeps every JOBS_SWEEP_SECONDS, until `stop()`."""

    def __init__(self, app: Flask):
        super().__init__(name="jobs-keeper", daemon=True)
        self.app = app
        self.beat = float(app.config["JOBS_HEARTBEAT_SECONDS"])
        self.sweep_every = float(app.config["JOBS_SWEEP_SECONDS"])
        self._stopped = threading.Event()

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        next_sweep = time.monotonic() + self.sweep_every
        step = min(self.beat, self.sweep_every)
        next_beat = time.monotonic() + self.beat
        while not self._stopped.wait(step):
            now = time.monotonic()
            with self.app.app_context():
                try:
                    if now >= next_beat:
                        next_beat = now + self.beat
                        renew_held()
                    if now >= next_sweep:
                        next_sweep = now + self.sweep_every
                        sweep()
                except Exception:  # noqa: BLE001 - the keeper outlives a database or queue outage
                    log.exception("the jobs keeper failed this time; it goes on")
                finally:
                    db.session.remove()
