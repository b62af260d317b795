"""The API's daily housekeeping: answers kept for idempotent replays are forgotten after API_IDEMPOTENCY_HOURS."""
from __future__ import annotations

import logging

from huey import crontab

from app.api.contract.idempotency import purge_old_answers
from app.jobs.queue import huey
from app.jobs.tasks import task_context

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="3", minute="23"))
def purge_idempotent_answers_daily() -> int:
    with task_context():
        count = purge_old_answers()
    log.info("API: %d stored answers to idempotent writes purged", count)
    return count
