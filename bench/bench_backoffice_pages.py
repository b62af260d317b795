"""Time every back-office page of the demonstrator, the registrations and the program on the demo summit.

    python bench/bench_backoffice_pages.py [--repeat 10] [--plan-seconds 10] [--only WORD] [--keep FILE]
    python bench/bench_backoffice_pages.py --reuse FILE [--password P]   # a database --keep or `flask demo` left

Loads the demo summit (`load_demo`) into a temporary SQLite database (or BENCH_DATABASE_URL, emptied
first), logs in as its organiser, finds every GET route under /manage/e/<slug>/ whose view lives in
app.backoffice (the edition's dashboard), app.demonstrator, app.registrations or app.program (from
the url_map), fills the ids from the demo data,
and prints the median and 95th percentile of `--repeat` requests of each through the Flask stack, with
the number of SQL statements of one request, slowest first. Pages over 300 ms median are flagged.
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.generator import DEFAULT_SLUG, ORGANISER_EMAIL, load_demo  # noqa: E402
from app.demonstrator.hall.models import Stand, StandBooking  # noqa: E402
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan  # noqa: E402
from app.events.models import Event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.program.models import ProgramSession, Room  # noqa: E402
from app.registrations.models import Delegation, Registration  # noqa: E402

PASSWORD = "bench-password"
LIMIT_MS = 300
PACKAGES = ("app.backoffice", "app.demonstrator", "app.registrations", "app.program")


def _ids(event: Event) -> dict[str, list[str]]:
    """Values for each URL argument, taken from the demo data (several when a page has variants)."""
    plan = db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id)
                             .order_by((VisitPlan.status == PlanStatus.PUBLISHED).desc(), VisitPlan.id.desc()))
    visit = plan and db.session.scalar(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id)
                                       .order_by(PlannedVisit.id))
    delegation = db.session.scalar(select(Delegation.id).where(Delegation.event_id == event.id)
                                   .order_by(Delegation.id))
    stand = db.session.scalar(select(Stand).where(Stand.event_id == event.id).order_by(Stand.id))
    startup = visit.startup_id if visit else db.session.scalar(select(StandBooking.registration_id)
                                                               .join(Stand).where(Stand.event_id == event.id))
    session = db.session.scalar(select(ProgramSession.id).where(ProgramSession.event_id == event.id)
                                .order_by(ProgramSession.id))
    room = db.session.scalar(select(Room.id).where(Room.event_id == event.id).order_by(Room.id))
    registration = visit.registration_id if visit and visit.registration_id else db.session.scalar(
        select(Registration.id).where(Registration.event_id == event.id).order_by(Registration.id))
    values = {
        "plan_id": plan and plan.id, "visitor_key": visit and visit.visitor_key, "tour": visit and visit.tour,
        "delegation_id": delegation, "stand_id": stand and stand.id, "startup_id": startup,
        "session_id": session, "room_id": room, "registration_id": registration,
        "day": event.starts_on.isoformat(),
    }
    ids = {k: [str(v)] for k, v in values.items() if v is not None}
    ids["fmt"] = ["csv", "xlsx"]
    return ids


def _paths(app, slug: str, ids: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """(endpoint, path) of every page to time, and the rules left out for want of a value."""
    paths, skipped = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        if ("GET" not in rule.methods or not rule.rule.startswith("/manage/e/<slug>/")
                or not view.__module__.startswith(PACKAGES)):
            continue
        variants = [{"slug": slug}]
        for argument in sorted(rule.arguments - {"slug"}):
            if argument not in ids:
                variants = []
                break
            variants = [dict(v, **{argument: value}) for v in variants for value in ids[argument]]
        if not variants:
            skipped.append(rule.rule)
        for values in variants:
            path = rule.build(values, append_unknown=False)[1]
            if (rule.endpoint, path) not in paths:
                paths.append((rule.endpoint, path))
    return paths, skipped


def _timed(client, path: str, repeat: int) -> tuple[float, float, float, int]:
    """Median and 95th percentile of the wall time of `repeat` GETs, median CPU time (ms), size of the body.

    The CPU time is this process's: on a shared machine it moves less than the wall time."""
    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        size = len(response.get_data())
    walls.sort()
    return (statistics.median(walls), walls[min(len(walls) - 1, int(0.95 * len(walls)))], statistics.median(cpus),
            size)


def _count_statements(client, path: str) -> tuple[int, int]:
    """The number of SQL statements of one GET of `path`, and its status."""
    count = 0

    def before(*_args, **_kwargs):
        nonlocal count
        count += 1
    sa_event.listen(db.engine, "before_cursor_execute", before)
    try:
        status = client.get(path).status_code
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", before)
    return count, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--plan-seconds", type=float, default=10)
    parser.add_argument("--only", help="time only the paths (or endpoints: backoffice.overview) containing this text")
    parser.add_argument("--keep", help="copy the loaded SQLite database to this file")
    parser.add_argument("--reuse", help="time pages on this SQLite file (a copy) instead of loading the demo")
    parser.add_argument("--no-freeze", action="store_true",
                        help="leave start-up's objects to the garbage collector (wsgi.py freezes them)")
    parser.add_argument("--password", default=PASSWORD, help="the organiser's password in a --reuse database")
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)

    tmp = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    if args.reuse:
        shutil.copy(args.reuse, f"{tmp}/bench.db")
        url = f"sqlite:///{tmp}/bench.db"
    # The development settings, as `flask demo` runs (under the testing ones the demo's plan is left computing).
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    if not args.no_freeze:
        gc.freeze()  # as wsgi.py does once the app is built
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; start-up objects "
          f"{'left to the garbage collector' if args.no_freeze else 'frozen (gc.freeze, as wsgi.py)'}")
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and not args.reuse:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        if not args.reuse:
            started = time.perf_counter()
            load_demo(slug=DEFAULT_SLUG, password=PASSWORD, plan_seconds=args.plan_seconds)
            print(f"demo summit loaded in {time.perf_counter() - started:.0f} s ({db.engine.dialect.name})")
            if args.keep and url.startswith("sqlite"):
                db.session.commit()
                db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # the last writes are in the -wal file
                shutil.copy(f"{tmp}/bench.db", args.keep)
        event = db.session.scalar(select(Event).where(Event.slug == DEFAULT_SLUG))
        paths, skipped = _paths(app, event.slug, _ids(event))
        db.session.remove()

    client = app.test_client()
    response = client.post("/login", data={"email": ORGANISER_EMAIL, "password": args.password})
    assert response.status_code in (302, 303), "login failed"
    rows, refused = [], []
    for endpoint, path in paths:
        if args.only and args.only not in path and args.only not in endpoint:
            continue
        with app.app_context():
            statements, status = _count_statements(client, path)
        if status != 200:
            refused.append(f"{path} ({status})")
            continue
        median, p95, cpu, size = _timed(client, path, args.repeat)
        rows.append((median, p95, cpu, statements, size, endpoint, path))
    rows.sort(reverse=True)
    print(f"\n{'median':>8} {'p95':>8} {'CPU':>8} {'SQL':>5} {'KiB':>6}  page (wall-clock median and p95, median CPU time)")
    for median, p95, cpu, statements, size, endpoint, path in rows:
        flag = "  <-- over 300 ms" if median > LIMIT_MS else ""
        print(f"{median:6.0f}ms {p95:6.0f}ms {cpu:6.0f}ms {statements:5d} {size / 1024:6.0f}  {path} ({endpoint}){flag}")
    over = sum(1 for r in rows if r[0] > LIMIT_MS)
    print(f"\n{len(rows)} pages, {over} over {LIMIT_MS} ms median ({args.repeat} requests each)")
    if refused:
        print("not timed (not a 200 on the demo data): " + ", ".join(refused))
    if skipped:
        print("not timed (no value in the demo data): " + ", ".join(skipped))


if __name__ == "__main__":
    main()
