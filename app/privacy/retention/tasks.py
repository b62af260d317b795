"""The daily retention pass (it also purges the stands' contacts: the leads' own daily task was folded in)."""
from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from app.core.timefmt import utcnow
from app.jobs.queue import huey
from app.jobs.tasks import task_context
from app.privacy.retention.purge import purge

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="3", minute="17"))
def purge_past_retention_daily() -> dict[str, int]:
    """Kind -> how many rows it erased."""
    with task_context():
        outcomes = purge(now=utcnow(), config=current_app.config)
    for outcome in outcomes:
        if outcome.total:
            log.info("retention: %s: erased %s", outcome.kind, outcome.counts)
    return {outcome.kind: outcome.total for outcome in outcomes}
