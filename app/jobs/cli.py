"""`flask jobs worker`: the huey consumer with the app bound, for tasks to run in; and the operator's commands.

The command runs create_app, whose features register their tasks and periodic tasks with huey."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey.consumer import Consumer

from app.jobs.keeper import Keeper
from app.jobs.queue import huey
from app.jobs.sweep import sweep
from app.jobs.tasks import bind_worker_app

jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32), help="Worker threads.")
def worker(workers: int) -> None:
    """Run the job consumer (huey) until stopped."""
    app = current_app._get_current_object()
    huey.immediate = False  # a worker always reads the real queue, whatever the configuration says
    bind_worker_app(app)
    swept = sweep()  # what a previous worker left behind: dead jobs, messages never sent
    click.echo(f"Job worker: {type(huey.storage).__name__} queue {huey.name!r}, {workers} threads; "
               f"swept {len(swept.failed)} failed, {len(swept.requeued)} queued again, {len(swept.resent)} sent")
    keeper = Keeper(app)
    keeper.start()
    try:
        Consumer(huey, workers=workers, worker_type="thread", periodic=True).run()
    finally:
        keeper.stop()


def init_app(app: Flask) -> None:
    app.cli.add_command(jobs_cli)
