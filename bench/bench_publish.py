"""Time publishing a re-computed visit plan of the demo summit: the request, and the notices' job.

    python bench/bench_publish.py [--repeat 3] [--prepared /tmp/bench_publish/prepared.db] [--time-limit 30]
                                  [--compare-replan]

The first run loads the demo summit on a SQLite file (its plan, computed in 10 s, published, as `flask demo`
does) and computes a second plan from scratch for longer (another seed), as an organiser re-computing the
published plan afresh would, then keeps that file (use the same file to compare two versions of the code). Each repeat copies it, logs in as the
organiser, and times GET of the publish confirmation page and POST of publish through the whole Flask stack,
then times the job that writes the notices (run here, as the worker would) and counts what it wrote.
The queue is a SQLite huey file with no worker: the request only hands the job over.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="bench_publish_"))
os.environ.setdefault("HUEY_SQLITE_PATH", str(WORK / "huey.db"))  # read by config at import time
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.generator import DEFAULT_SLUG, ORGANISER_EMAIL, load_demo  # noqa: E402
from app.demonstrator.plans import editing, notify, planning  # noqa: E402
from app.demonstrator.plans.models import PlanStatus, VisitPlan  # noqa: E402
from app.events.models import Event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs.models import Job, JobStatus  # noqa: E402
from app.jobs.runner import execute_job  # noqa: E402
from app.mail.models import OutboxMessage  # noqa: E402

PASSWORD = "bench publish password"


def make_app(path: Path):
    """The app on the SQLite file `path`, migrated to this code's schema (a file prepared by older code too)."""
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "WTF_CSRF_ENABLED": False,
                                     "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
    return app


def prepare(path: Path, time_limit: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    app = make_app(path)
    with app.app_context():
        started = time.perf_counter()
        load_demo(password=PASSWORD)
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")
        event = db.session.scalar(select(Event).where(Event.slug == DEFAULT_SLUG))
        started = time.perf_counter()
        plan = planning.request_plan(event, planning.PlanRequest(origin="plan", time_limit=time_limit),
                                     actor_id=None, seed=7, background=False)
        print(f"a second plan (v{plan.version}, from scratch) computed in {time.perf_counter() - started:.1f} s")
        db.engine.dispose()
    with sqlite3.connect(path) as connection:  # everything in the file itself, so that a copy of it holds it all
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run_once(prepared: Path, number: int) -> dict:
    path = WORK / f"run{number}.db"
    shutil.copyfile(prepared, path)
    app = make_app(path)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == DEFAULT_SLUG))
        draft = db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                          VisitPlan.status == PlanStatus.DRAFT)
                                  .order_by(VisitPlan.version.desc()))
        base = f"/manage/e/{event.slug}/demonstrator/plans/{draft.id}"
        outbox_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        client = app.test_client()
        client.post("/login", data={"email": ORGANISER_EMAIL, "password": PASSWORD})
        client.get(f"/manage/e/{event.slug}/demonstrator/plans/")  # templates and catalogs loaded, as on a live server
        started = time.perf_counter()
        confirm = client.get(f"{base}/publish")
        confirm_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        response = client.post(f"{base}/publish")
        publish_ms = (time.perf_counter() - started) * 1000
        assert response.status_code in (302, 303), response.status_code
        db.session.remove()
        told_in_request = db.session.scalar(select(func.count()).select_from(OutboxMessage)) - outbox_before
        jobs = list(db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED)))
        db.session.remove()
    with app.app_context():  # as the worker runs it: no request, nobody logged in
        started = time.perf_counter()
        for job_id in jobs:
            execute_job(job_id)
        job_ms = (time.perf_counter() - started) * 1000
        told = db.session.scalar(select(func.count()).select_from(OutboxMessage)) - outbox_before
        failed = db.session.scalar(select(func.count()).select_from(Job).where(Job.status == JobStatus.FAILED))
        assert not failed, "a job failed"
        db.engine.dispose()
    return {"confirm": confirm_ms if confirm.status_code == 200 else None, "publish": publish_ms,
            "job": job_ms, "told_in_request": told_in_request, "told": told, "jobs": len(jobs)}


def compare_replan(prepared: Path, time_limit: float) -> None:
    """What publishing would change, for plans computed afresh and around the published one: first over the
    prepared published plan (made by the code that prepared the file), then over a plan of this code."""
    path = WORK / "replan.db"
    shutil.copyfile(prepared, path)
    app = make_app(path)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == DEFAULT_SLUG))
        afresh = db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                           VisitPlan.status == PlanStatus.DRAFT))
        say("over the prepared published plan, computed afresh", afresh)
        kept = compute(event, time_limit, seed=7, afresh=False)
        say("over the prepared published plan, computed around it", kept)
        editing.publish(kept, actor_id=None, notify_people=False)
        say("over that one once published, computed around it", compute(event, time_limit, seed=8, afresh=False))
        say("over that one once published, computed afresh", compute(event, time_limit, seed=9, afresh=True))
        db.engine.dispose()


def compute(event, time_limit: float, *, seed: int, afresh: bool) -> VisitPlan:
    return planning.request_plan(event, planning.new_plan_request(event, time_limit, afresh=afresh), actor_id=None,
                                 seed=seed, background=False)


def say(label: str, plan: VisitPlan) -> None:
    found = notify.preview(plan)
    off_minute = sum(1 for v in plan.visits if v.start != int(v.start))
    print(f"{label} (v{plan.version}, {plan.origin}): {found.num_routes} routes change ({found.num_routes_moved} "
          f"with a published visit moved or removed) and {found.num_briefings} briefings, {found.num_people} people told; {len(plan.visits)} visits, {off_minute} not on a "
          f"whole minute, {len(plan.figures.get('short_tours', []))} short tours left free")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--prepared", type=Path, default=Path(tempfile.gettempdir()) / "bench_publish" / "prepared.db")
    parser.add_argument("--time-limit", type=float, default=30)
    parser.add_argument("--compare-replan", action="store_true",
                        help="Also compute a plan around the published one and say what each would change.")
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    if not args.prepared.exists():
        prepare(args.prepared, args.time_limit)
    runs = [run_once(args.prepared, n) for n in range(args.repeat)]
    for key, label in (("confirm", "GET confirmation page"), ("publish", "POST publish (the request)"),
                       ("job", "notices job (after the request)")):
        values = sorted(r[key] for r in runs if r[key] is not None)
        if values:
            print(f"{label}: median {statistics.median(values):.0f} ms, max {values[-1]:.0f} ms ({len(values)} runs)")
        else:
            print(f"{label}: none")
    if args.compare_replan:
        compare_replan(args.prepared, args.time_limit)
    if runs:
        last = runs[-1]
        print(f"notices written in the request: {last['told_in_request']}; in all: {last['told']} "
              f"(jobs run after the request: {last['jobs']})")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
