"""Time the edition's report (page, PDF, XLSX, CSV), the network's page and an organisation's timeline on the demo
summit, with the stands' scans and the outcomes of its meetings.

    python bench/bench_report.py [--repeat 10] [--plan-seconds 10] [--keep FILE]
    python bench/bench_report.py --reuse FILE [--password P]   # a database --keep (or `flask demo`) left

Loads the demo summit (`load_demo`: 1,000 registrations, a published plan of about 2,000 visits) into a temporary
SQLite database (or BENCH_DATABASE_URL, emptied first). When its edition has no badge scans yet, it adds them
as the stands' phones would (about 70% of the planned visits realised by a scan, a few of them twice, and 800
scans outside the plan: a few thousand in all), and about 100 outcomes of realised meetings (through
app.outcomes.services.record_outcome). Then logs in as the organiser and prints the median and 95th percentile
wall time, the median CPU time and the SQL statements of each page, through the Flask stack.
"""
from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.generator import DEFAULT_SLUG, ORGANISER_EMAIL, load_demo  # noqa: E402
from app.demonstrator.plans.models import PlannedVisit  # noqa: E402
from app.demonstrator.plans.planning import published_plan  # noqa: E402
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES  # noqa: E402
from app.events.models import Category, CategoryCode, Event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.leads.models import Lead, Scan  # noqa: E402
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus  # noqa: E402
from app.outcomes.services import OutcomeError, OutcomeInput, record_outcome  # noqa: E402
from app.registrations.models import Delegation, Registration, RegistrationStatus  # noqa: E402

PASSWORD = "bench-password"
LIMIT_MS = 500
UNPLANNED_SCANS = 800
OUTCOMES = 100


def add_scans(event: Event, rng: random.Random) -> int:
    """Scans of the published plan's visits (most realised) and outside it; returns how many."""
    plan = published_plan(event)
    members: dict[int, list[int]] = {}
    for registration_id, delegation_id in db.session.execute(
            select(Registration.id, Registration.delegation_id).where(Registration.event_id == event.id,
                                                                      Registration.delegation_id.is_not(None))):
        members.setdefault(delegation_id, []).append(registration_id)
    visits = list(db.session.execute(select(PlannedVisit.startup_id, PlannedVisit.registration_id,
                                            PlannedVisit.delegation_id, PlannedVisit.starts_at)
                                     .where(PlannedVisit.plan_id == plan.id))) if plan else []
    scans: list[tuple[int, int, object]] = []
    for startup_id, registration_id, delegation_id, starts_at in visits:
        people = [registration_id] if registration_id else members.get(delegation_id, [])
        if startup_id is None or not people or rng.random() > 0.7:
            continue
        scans.append((startup_id, rng.choice(people), starts_at + timedelta(minutes=rng.randint(0, 6))))
        if rng.random() < 0.3:
            scans.append((startup_id, rng.choice(people), starts_at + timedelta(minutes=rng.randint(7, 12))))
    stands = list({v[0] for v in visits if v[0] is not None})
    visitors = list(db.session.scalars(select(Registration.id).join(Category).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
        Category.code.in_(VISITOR_CATEGORIES + (CategoryCode.VISITEUR, CategoryCode.ENTREPRISE)))))
    day_start = min((v[3] for v in visits), default=None)
    for _ in range(UNPLANNED_SCANS if stands and visitors and day_start else 0):
        scans.append((rng.choice(stands), rng.choice(visitors),
                      day_start + timedelta(days=rng.randint(0, 1), minutes=rng.randint(0, 480))))
    leads: dict[tuple[int, int], Lead] = {}
    for n, (stand, person, at) in enumerate(sorted(scans, key=lambda s: s[2])):
        lead = leads.get((stand, person))
        if lead is None:
            lead = leads[(stand, person)] = Lead(event_id=event.id, stand_id=stand, registration_id=person,
                                                 notes="", tags=[], first_scanned_at=at, last_scanned_at=at,
                                                 num_scans=0)
            db.session.add(lead)
        lead.num_scans += 1
        lead.last_scanned_at = at
        db.session.add(Scan(event_id=event.id, lead=lead, stand_id=stand, registration_id=person,
                            client_id=f"bench-{n}", scanned_at=at, notes="", tags=[]))
    db.session.commit()
    return len(scans)


def add_outcomes(event: Event, rng: random.Random) -> int:
    """About OUTCOMES outcomes of the edition's scanned meetings with officials."""
    pairs = list(db.session.execute(select(Lead.stand_id, Lead.registration_id).join(
        Registration, Registration.id == Lead.registration_id).join(Category).where(
        Lead.event_id == event.id, Category.code.in_(VISITOR_CATEGORIES)).order_by(Lead.id)))
    rng.shuffle(pairs)
    made = 0
    for stand_id, registration_id in pairs:
        if made >= OUTCOMES:
            break
        data = OutcomeInput(rng.choice(list(OutcomeKind)), rng.choice(list(OutcomeStatus)),
                            event.starts_on + timedelta(days=rng.randint(0, 200)))
        try:
            record_outcome(event, data, stand=db.session.get(Registration, stand_id),
                           registration=db.session.get(Registration, registration_id),
                           source=OutcomeSource.SCAN, actor_id=None, side=OutcomeSide.STARTUP)
        except OutcomeError:  # a stand or an official without an organisation
            db.session.rollback()
            continue
        made += 1
    return made


def _timed(client, path: str, repeat: int) -> tuple[float, float, float, float, int]:
    """Median, 95th percentile and fastest wall time, median CPU time of this process (ms), size of the body.
    On a machine shared with other work the fastest and the CPU time say more of the page than the median."""
    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.get_data())
    walls.sort()
    return (statistics.median(walls), walls[min(len(walls) - 1, int(0.95 * len(walls)))], walls[0],
            statistics.median(cpus), size)


def _statements(client, path: str) -> int:
    count = 0

    def before(*_args, **_kwargs):
        nonlocal count
        count += 1
    sa_event.listen(db.engine, "before_cursor_execute", before)
    try:
        client.get(path)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", before)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--plan-seconds", type=float, default=10)
    parser.add_argument("--keep", help="copy the loaded SQLite database (with its scans and outcomes) to this file")
    parser.add_argument("--reuse", help="time the pages on this SQLite file (a copy) instead of loading the demo")
    parser.add_argument("--password", default=PASSWORD, help="the organiser's password in a --reuse database")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--edition", default=DEFAULT_SLUG,
                        help="the edition to time (the demo's previous one, sommet-blois-2026, has its own scans, "
                             "check-ins and outcomes; none are added to it)")
    parser.add_argument("--dashboard", action="store_true", help="time the edition's dashboard too")
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)

    tmp = tempfile.mkdtemp()
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    if args.reuse:
        shutil.copy(args.reuse, f"{tmp}/bench.db")
        url = f"sqlite:///{tmp}/bench.db"
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    gc.freeze()  # as wsgi.py does once the app is built
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    rng = random.Random(args.seed)
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and not args.reuse:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        if not args.reuse:
            started = time.perf_counter()
            load_demo(slug=DEFAULT_SLUG, password=PASSWORD, plan_seconds=args.plan_seconds)
            print(f"demo summit loaded in {time.perf_counter() - started:.0f} s ({db.engine.dialect.name})")
        event = db.session.scalar(select(Event).where(Event.slug == args.edition))
        if event is None:
            parser.error(f"no edition {args.edition!r} in this database")
        if not db.session.scalar(select(func.count(Scan.id)).where(Scan.event_id == event.id)):
            print(f"{add_scans(event, rng)} scans added")
        if not db.session.scalar(select(func.count(Outcome.id)).where(Outcome.event_id == event.id)):
            print(f"{add_outcomes(event, rng)} outcomes added")
        if args.keep and url.startswith("sqlite"):
            db.session.commit()
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # the last writes are in the -wal file
            shutil.copy(f"{tmp}/bench.db", args.keep)
        figures = {
            "registrations": db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id == event.id)),
            "planned visits": db.session.scalar(select(func.count(PlannedVisit.id)).where(
                PlannedVisit.plan_id == published_plan(event).id)) if published_plan(event) else 0,
            "scans": db.session.scalar(select(func.count(Scan.id)).where(Scan.event_id == event.id)),
            "outcomes": db.session.scalar(select(func.count(Outcome.id)).where(Outcome.event_id == event.id)),
            "editions": db.session.scalar(select(func.count(Event.id))),
            "delegations": db.session.scalar(select(func.count(Delegation.id)).where(Delegation.event_id == event.id)),
        }
        print(", ".join(f"{v} {k}" for k, v in figures.items()))
        city = db.session.scalar(select(Outcome.organisation_id).where(Outcome.event_id == event.id)
                                 .group_by(Outcome.organisation_id).order_by(func.count(Outcome.id).desc()).limit(1))
        startup = db.session.scalar(select(Outcome.startup_id).where(Outcome.event_id == event.id)
                                    .group_by(Outcome.startup_id).order_by(func.count(Outcome.id).desc()).limit(1))
        slug = event.slug
        db.session.remove()

    base = f"/manage/e/{slug}/report"
    paths = [("report page", base), ("report page, n=5", f"{base}?n=5"), ("report PDF", f"{base}.pdf"),
             ("report XLSX", f"{base}.xlsx"), ("report CSV", f"{base}.csv"), ("network", f"{base}/network")]
    if city:
        paths.append(("timeline of a city", f"{base}/organisations/{city}"))
    if startup:
        paths.append(("timeline of a startup", f"{base}/organisations/{startup}"))
    if args.dashboard:
        paths.insert(0, ("dashboard", f"/manage/e/{slug}/"))
    client = app.test_client()
    response = client.post("/login", data={"email": ORGANISER_EMAIL, "password": args.password})
    assert response.status_code in (302, 303), "login failed"
    print(f"\n{'median':>8} {'p95':>8} {'fastest':>8} {'CPU':>8} {'SQL':>5} {'KiB':>6}  ({args.repeat} requests each; "
          f"load average {os.getloadavg()[0]:.2f})")
    for name, path in paths:
        with app.app_context():
            statements = _statements(client, path)
        median, p95, fastest, cpu, size = _timed(client, path, args.repeat)
        flag = f"  <-- over {LIMIT_MS} ms" if median > LIMIT_MS else ""
        print(f"{median:6.0f}ms {p95:6.0f}ms {fastest:6.0f}ms {cpu:6.0f}ms {statements:5d} {size / 1024:6.0f}  "
              f"{name}: {path}{flag}")


if __name__ == "__main__":
    main()
