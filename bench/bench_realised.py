"""Planned versus realised at a large summit's size: 6,000 planned visits and 10,000 badge scans.

    python bench/bench_realised.py [--repeat 5]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mediane_bench python bench/bench_realised.py

Prints the median and worst time of the matching alone (plain values) and of the whole report the
organisers' pages read (rows loaded from the database, matched, tallied by startup and by visitor).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import fresh_app  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan  # noqa: E402
from app.demonstrator.realised import report as realised  # noqa: E402
from app.demonstrator.realised.matching import ScanRow, VisitRow, match  # noqa: E402
from app.events.models import Category, CategoryCode, EventStatus  # noqa: E402
from app.events.services import EventInput, create_event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.leads.models import Lead, Scan  # noqa: E402
from app.people.models import Person  # noqa: E402
from app.registrations.models import Registration, RegistrationStatus  # noqa: E402

T0 = datetime(2027, 6, 2, 8, 0)
NUM_VISITS, NUM_STARTUPS, NUM_OFFICIALS, NUM_UNPLANNED = 6000, 120, 900, 4000


def _times(fn, repeat: int) -> tuple[float, float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings)


def bench_matching(repeat: int) -> None:
    visits = [VisitRow(i, f"r{1000 + i % NUM_OFFICIALS}", i % NUM_STARTUPS, frozenset({1000 + i % NUM_OFFICIALS}),
                       T0 + timedelta(minutes=12 * (i // NUM_STARTUPS)),
                       T0 + timedelta(minutes=12 * (i // NUM_STARTUPS) + 10)) for i in range(NUM_VISITS)]
    scans = [ScanRow(i, i % NUM_STARTUPS, 1000 + i % NUM_OFFICIALS,
                     T0 + timedelta(minutes=12 * (i // NUM_STARTUPS) + 3))
             for i in range(NUM_VISITS)]
    scans += [ScanRow(NUM_VISITS + i, i % NUM_STARTUPS, 5000 + i, T0 + timedelta(minutes=i % 600))
              for i in range(NUM_UNPLANNED)]
    median, worst = _times(lambda: match(visits, scans), repeat)
    print(f"matching {len(visits)} visits and {len(scans)} scans: median {median * 1000:.0f} ms, "
          f"worst {worst * 1000:.0f} ms")


def _load(event) -> None:
    categories = {c.code: c.id for c in db.session.scalars(select(Category).where(Category.event_id == event.id))}

    def people(n, code, prefix):
        persons = [Person(email=f"{prefix}{i}@bench.example.org", first_name="B", last_name=f"{prefix}{i}")
                   for i in range(n)]
        db.session.add_all(persons)
        db.session.flush()
        return list(db.session.scalars(insert(Registration).returning(Registration.id, sort_by_parameter_order=True), [
            dict(event_id=event.id, person_id=p.id, category_id=categories[code], status=RegistrationStatus.CONFIRMED,
                 days=[event.starts_on.isoformat()]) for p in persons]))
    startups, officials = people(NUM_STARTUPS, CategoryCode.STARTUP, "s"), people(NUM_OFFICIALS, CategoryCode.ELU, "o")
    plan = VisitPlan(event_id=event.id, version=1, status=PlanStatus.PUBLISHED, reference=T0, time_limit=1)
    db.session.add(plan)
    db.session.flush()
    visits = []
    for i in range(NUM_VISITS):
        at = T0 + timedelta(minutes=12 * (i // NUM_STARTUPS))
        official = officials[i % NUM_OFFICIALS]
        visits.append(dict(plan_id=plan.id, visitor_key=f"r{official}", registration_id=official, tour=0,
                           stand_key=f"X{i}", startup_id=startups[i % NUM_STARTUPS], start=0.0, starts_at=at,
                           ends_at=at + timedelta(minutes=10), score=0.0, locked=False))
    db.session.execute(insert(PlannedVisit), visits)
    scans = [(v["startup_id"], v["registration_id"], v["starts_at"] + timedelta(minutes=3)) for v in visits]
    scans += [(startups[i % NUM_STARTUPS], officials[(i * 7) % NUM_OFFICIALS], T0 + timedelta(minutes=600 + i % 300))
              for i in range(NUM_UNPLANNED)]
    pairs = sorted({(s, p) for s, p, _ in scans})
    lead_ids = list(db.session.scalars(insert(Lead).returning(Lead.id, sort_by_parameter_order=True), [
        dict(event_id=event.id, stand_id=s, registration_id=p, notes="", tags=[], first_scanned_at=T0,
             last_scanned_at=T0, num_scans=1) for s, p in pairs]))
    lead_of = dict(zip(pairs, lead_ids))
    db.session.execute(insert(Scan), [
        dict(event_id=event.id, lead_id=lead_of[(s, p)], stand_id=s, registration_id=p, client_id=f"b{i}",
             scanned_at=at, notes="", tags=[]) for i, (s, p, at) in enumerate(scans)])
    db.session.commit()


def bench_report(repeat: int) -> None:
    app = fresh_app()
    with app.app_context():
        event = create_event(EventInput(name="Bench", slug="bench", city="Nevers", country="FR", venue="",
                                        timezone="Europe/Paris", starts_on=date(2027, 6, 2), ends_on=date(2027, 6, 4),
                                        status=EventStatus.OPEN), actor_id=None)
        db.session.commit()
        _load(event)

        def whole_report():
            report = realised.report(event)
            report.by_startup(), report.by_visitor()
            db.session.expire_all()
        median, worst = _times(whole_report, repeat)
        print(f"report ({db.engine.dialect.name}) over {NUM_VISITS} visits and {NUM_VISITS + NUM_UNPLANNED} scans, "
              f"by startup and by visitor: median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_matching(args.repeat)
    bench_report(args.repeat)


if __name__ == "__main__":
    main()
