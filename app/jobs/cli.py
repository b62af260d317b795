"""`flask jobs worker`: the huey consumer with the app bound, for tasks to run in; and the operator's commands.

The command runs create_app, whose features register their tasks and periodic tasks with huey."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey.consumer import Consumer
from sqlalchemy import select

from app.extensions import db
from app.jobs import services
from app.jobs.keeper import Keeper
from app.jobs.models import Job
from app.jobs.queue import QueueUnavailable, huey
from app.jobs.sweep import sweep
from app.jobs.tasks import bind_worker_app

REFUSALS = {
    "unknown_job": "there is no job {id}",
    "finished": "job {id} is already finished: only a queued or running job can be failed",
    "not_failed": "job {id} has not failed: only a failed job can be retried",
}

#: Seconds between two looks at an empty SQLite queue, at most (bench/bench_replan_day.py: a job waited up to
#: 5 s to be taken with huey's default of 10 s). A look is one indexed read of the queue file.
POLL_MAX_DELAY = 0.5

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
               f"swept {len(swept.failed)} failed, {len(swept.finished)} done, {len(swept.requeued)} queued again, "
               f"{len(swept.resent)} sent")
    keeper = Keeper(app)
    keeper.start()
    try:
        # An idle worker polls a SQLite queue at most every POLL_MAX_DELAY s (huey's own default backs off to 10 s,
        # which an organiser re-planning the rest of the day waits for); Redis answers at once whatever this says.
        Consumer(huey, workers=workers, worker_type="thread", periodic=True, max_delay=POLL_MAX_DELAY).run()
    finally:
        keeper.stop()


@jobs_cli.command("list")
@click.option("--stuck", is_flag=True, help="Only jobs without a live worker: running with their lease over, "
                                             "queued and never sent or not taken.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
def list_command(stuck: bool, limit: int) -> None:
    """The latest jobs: id, kind, status, progress, attempts, worker, lease and error."""
    jobs = services.stuck_jobs() if stuck else \
        db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)).all()
    if not jobs:
        click.echo("no stuck job" if stuck else "no job")
        return
    for job in jobs[:limit]:
        lease = f" lease until {job.lease_expires_at:%Y-%m-%d %H:%M:%S}Z" if job.lease_expires_at else ""
        sent = "" if job.sent_at or job.status.value != "queued" else " never sent"
        click.echo(f"{job.id:>6}  {job.kind:<18} {job.status.value:<8} {job.progress:>4.0%}  {job.message[:30]:<30} "
                   f"attempts {job.attempts}  {job.worker or '-'}{lease}{sent}"
                   + (f"\n        error: {job.error.splitlines()[0][:150]}" if job.error else ""))


@jobs_cli.command("fail")
@click.argument("job_id", type=int)
@click.option("--reason", default="Stopped by an operator.", show_default=True, help="What the organiser reads.")
def fail_command(job_id: int, reason: str) -> None:
    """Mark a queued or running job as failed (recorded in the audit log)."""
    reason = reason.strip()
    if not reason:
        raise click.BadParameter("give a reason the organiser can read", param_hint="--reason")
    try:
        job = services.fail_job(job_id, reason=reason)
    except services.JobRefused as refused:
        raise click.ClickException(REFUSALS[refused.code].format(id=job_id)) from refused
    click.echo(f"job {job.id} ({job.kind}) failed: {reason}")


@jobs_cli.command("retry")
@click.argument("job_id", type=int)
def retry_command(job_id: int) -> None:
    """Queue a failed job again from the start (recorded in the audit log)."""
    try:
        job = services.retry_job(job_id)
    except services.JobRefused as refused:
        raise click.ClickException(REFUSALS[refused.code].format(id=job_id)) from refused
    except QueueUnavailable as error:
        raise click.ClickException(f"the job queue cannot be reached ({error}): nothing changed") from error
    click.echo(f"job {job.id} ({job.kind}) queued again")


def init_app(app: Flask) -> None:
    app.cli.add_command(jobs_cli)
