"""The queue's webhook tasks: send what is due (woken after each commit that wrote deliveries, and every
minute for retries and for what a queue outage left waiting), and purge old delivered rows daily."""
from __future__ import annotations

import logging

from huey import crontab

from app.api.webhooks.delivery import deliver_due
from app.jobs.queue import QUEUE_ERRORS, huey
from app.jobs.tasks import task_context

log = logging.getLogger(__name__)


def _deliver() -> int:
    with task_context():
        return deliver_due()


@huey.task()
def deliver_webhooks() -> int:
    return _deliver()


@huey.periodic_task(crontab(minute="*"))
def deliver_webhooks_every_minute() -> int:
    return _deliver()


def wake() -> None:
    """Hand the pending deliveries to the queue now; an unreachable queue is only logged (the periodic pass
    sends them): a change is never refused because its webhooks cannot be queued."""
    try:
        deliver_webhooks()
    except QUEUE_ERRORS as error:
        log.warning("webhooks: the queue is unreachable (%s); the periodic pass will send them", error)
