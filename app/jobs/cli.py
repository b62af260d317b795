"""`flask jobs worker`: the huey consumer with the app bound, for tasks to run in.

The command runs create_app, whose features register their tasks and periodic tasks with huey."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey.consumer import Consumer

from app.jobs.queue import huey
from app.jobs.tasks import bind_worker_app

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
