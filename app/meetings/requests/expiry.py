"""Requests left unanswered expire: a periodic task marks those past their time and tells the requester.

One pass is one unit of work; a request answered meanwhile is not touched (the pass reads only the pending ones,
and a second pass finds nothing left to do).
"""
from __future__ import annotations

from datetime import datetime

import click
from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.extensions import db
from app.jobs.queue import huey
from app.jobs.tasks import task_context
from app.meetings.cli import meetings_cli
from app.meetings.requests import notices
from app.meetings.requests.models import MeetingRequest, RequestStatus
from app.registrations.models import Registration

#: Requests expired in one pass at most (the next pass takes the rest).
BATCH = 1000


def due(now: datetime) -> list[MeetingRequest]:
    return list(db.session.scalars(
        select(MeetingRequest).where(MeetingRequest.status == RequestStatus.PENDING, MeetingRequest.expires_at <= now)
        .options(selectinload(MeetingRequest.requester).selectinload(Registration.person),
                 selectinload(MeetingRequest.recipient).selectinload(Registration.person))
        .order_by(MeetingRequest.id).limit(BATCH)))


def expire_due(now: datetime | None = None) -> int:
    """Mark the pending requests whose time is up as expired and tell each requester; how many."""
    now = now or utcnow()
    with atomic():
        expired = due(now)
        for request in expired:
            request.status = RequestStatus.EXPIRED
            notices.expired(request)
            audit.record("meetings.request.expire", actor_id=None, event_id=request.event_id, obj=request)
    return len(expired)


@huey.periodic_task(crontab(minute="5-59/10"))  # 00:05, 00:15...: beside the other passes, not with them
def expire_requests_periodically() -> int:
    with task_context():
        return expire_due()


@meetings_cli.command("expire")
def expire_command() -> None:
    """Expire the meeting requests left unanswered past their time, as the periodic task does every 10 minutes."""
    click.echo(f"Expired {expire_due()} meeting request(s).")
