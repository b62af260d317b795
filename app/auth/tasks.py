"""Reset links are looked up and mailed by the worker, so that asking for one costs the request the same
work, and gets the same answer, whether or not an account exists for the address."""
from __future__ import annotations

from app.auth import services
from app.jobs.queue import huey
from app.jobs.tasks import task_context


@huey.task()
def send_reset_link_task(email: str) -> None:
    with task_context():
        services.send_reset_link(email)


def request_reset_link(email: str) -> None:
    """Queue the look-up and the mail for `email`: one message on the queue, account or not."""
    send_reset_link_task(services.normalise_email(email))
