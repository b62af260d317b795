"""`flask jobs worker`: the huey consumer with the app bound, for tasks to run in."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey.consumer import Consumer

from app.jobs.queue import huey
from app.jobs.tasks import bind_worker_app
from app.leads import retention  # noqa: F401  (registers the daily purge of old contacts with huey)
from app.mail import tasks as mail_tasks  # noqa: F401  (registers the mail tasks with huey)

jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32), help="Worker threads.")
def worker(workers: int) -> None:
    """Run the job consumer (huey) until stopped."""
    bind_worker_app(current_app._get_current_object())
    click.echo(f"Job worker: {type(huey.storage).__name__}, {workers} threads")
    Consumer(huey, workers=workers, worker_type="thread", periodic=True).run()


def init_app(app: Flask) -> None:
    app.cli.add_command(jobs_cli)
