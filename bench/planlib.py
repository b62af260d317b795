"""What the plan benchmarks share: a copy of a demo instance's database, the app on it, and what a plan changes.

Import it before anything of `app`: the job queue's file and name are read from the environment at import time.
"""
from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="bench_plans_"))
os.environ.setdefault("HUEY_SQLITE_PATH", str(WORK / "huey.db"))
os.environ.setdefault("HUEY_NAME", f"bench-plans-{os.getpid()}")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.demonstrator.plans import notify  # noqa: E402
from app.demonstrator.plans.models import PlannedVisit, VisitPlan  # noqa: E402
from app.extensions import db  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def copy_database(instance: Path, name: str = "bench.db") -> Path:
    """The instance's SQLite database copied (write-ahead log included) into WORK: the original is never written."""
    source = instance / "mediane.db"
    if not source.exists():
        raise SystemExit(f"no database at {source}: build a demo instance with scripts/demo.sh or `flask demo`")
    path = WORK / name
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
    with sqlite3.connect(path) as connection:  # the whole database in the file itself
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def make_app(path: Path):
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "WTF_CSRF_ENABLED": False,
                                     "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
    return app


def worker_environment(path: Path) -> dict:
    """The environment of a `flask jobs worker` on the copy, reading the same queue as this process."""
    return {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "MEDIANE_INSTANCE": str(WORK),
            "MEDIANE_CONFIG": "development", "FLASK_APP": "wsgi"}


def after_value(plan: VisitPlan, minute: float) -> float:
    """The score of the plan's visits starting at `minute` or later (what a rest-of-day re-plan can change)."""
    return sum(score for score, in db.session.execute(
        select(PlannedVisit.score).where(PlannedVisit.plan_id == plan.id, PlannedVisit.start >= minute - 1e-6)))


def change_counts(plan: VisitPlan, previous_id: int) -> dict:
    """What publishing `plan` over `previous_id` changes, as notify.changes counts it (what the page says)."""
    found = notify.changes(plan, previous_id)
    return {"routes": found.num_routes, "moved": found.num_routes_moved, "briefings": found.num_briefings,
            "people": found.num_people, "visits": found.num_visits}


def say_changes(counts: dict) -> str:
    return (f"{counts['routes']} routes ({counts['moved']} with a published visit moved or removed), "
            f"{counts['briefings']} startups, {counts['people']} people told")


def machine() -> str:
    return f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
