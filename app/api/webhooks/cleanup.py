"""The daily purge of delivered webhooks older than 30 days."""
from __future__ import annotations

from huey import crontab

from app.api.webhooks.services import purge_delivered
from app.jobs.queue import huey
from app.jobs.tasks import task_context


@huey.periodic_task(crontab(hour="3", minute="40"))
def purge_webhook_deliveries() -> int:
    with task_context():
        return purge_delivered()
