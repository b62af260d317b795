"""Deliver queued mail outside requests; a periodic pass retries what failed to go."""
from __future__ import annotations

from huey import crontab
from sqlalchemy import select

from app.extensions import db
from app.jobs.queue import huey
from app.jobs.tasks import task_context
from app.mail.models import OutboxMessage
from app.mail.services import deliver


def _deliver_queued() -> int:
    with task_context():
        messages = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == "queued").order_by(OutboxMessage.id).limit(200)
        ).all()
        for message in messages:
            deliver(message)
        return len(messages)


@huey.task()
def deliver_queued_mail() -> int:
    return _deliver_queued()


@huey.periodic_task(crontab(minute="*"))
def deliver_queued_mail_every_minute() -> int:
    return _deliver_queued()
