"""Time the organiser's plan page on the demo summit (its published plan: ~250 officials, 3,000-6,000 visits).

    python bench/bench_plan_page.py [--repeat 20] [--edits 10] [--profile] [--reuse /tmp/plan-bench.db]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mediane_bench python bench/bench_plan_page.py

Loads the demo into a fresh SQLite file (or BENCH_DATABASE_URL, emptied first; or the --reuse file, loaded
the first time) and re-optimises its published plan for 3 s into a draft, then times requests through the whole
Flask stack: the plan page (first page, the busiest visitor alone, the draft's first page, which says what
publishing it would change), a lock and an unlock as the page's script sends them (one small request answered
with the visitor's block) and as a plain form post (redirect, then the page again), and a move of a visit
to a free minute, both ways. Prints the median and 95th percentile of the wall-clock time, the median CPU
time (steadier when the machine is shared), the size of the answer and the SQL statements of one request.
`--profile` prints the slowest functions of one plan page. On a page from before the shared edit form
(one form per visit and action) only the plain posts are timed.
"""
from __future__ import annotations

import argparse
import cProfile
import math
import os
import pstats
import statistics
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from benchlib import fresh_app
from flask_migrate import upgrade
from sqlalchemy import event as sa_event
from sqlalchemy import select

import routing  # noqa: I001  (after benchlib, which puts the project on the path)
from app import create_app
from app.core.timefmt import to_local
from app.demo.generator import load_demo
from app.demonstrator.plans import planning, results
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.events.models import Event
from app.extensions import db

SLUG = "sommet-nevers-2027"
#: What the plan page's script sends with an edit.
JSON = {"Accept": "application/json"}


def count_statements(app, fn) -> int:
    """How many SQL statements `fn` sends."""
    count = 0

    def seen(*_args):
        nonlocal count
        count += 1
    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", seen)
    try:
        fn()
    finally:
        sa_event.remove(engine, "before_cursor_execute", seen)
    return count


class Timings:
    """Wall-clock and CPU times of requests, in ms (the CPU time is the steadier on a busy machine)."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.size = 0

    def run(self, send):
        wall, cpu = time.perf_counter(), time.process_time()
        response = send()
        self.wall.append((time.perf_counter() - wall) * 1000)
        self.cpu.append((time.process_time() - cpu) * 1000)
        self.size = len(response.get_data())
        return response

    def figures(self) -> tuple[float, float, float, int]:
        ordered = sorted(self.wall)
        return (statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
                statistics.median(self.cpu), self.size)


def timed_get(client, path: str, repeat: int) -> Timings:
    timings = Timings()
    for _ in range(repeat):
        response = timings.run(lambda: client.get(path))
        assert response.status_code == 200, (path, response.status_code)
    return timings


def timed_posts(client, requests: list[tuple[str, dict, dict]], follow: bool) -> Timings:
    timings = Timings()
    for path, data, headers in requests:
        response = timings.run(lambda: client.post(path, data=data, headers=headers, follow_redirects=follow))
        assert response.status_code in (200, 302), (path, response.status_code, response.get_data(as_text=True)[:300])
    return timings


def free_move(plan: VisitPlan, tz: str, skip: set[int]) -> tuple[int, str]:
    """A visit and a whole minute (HH:MM) where it can go without breaking a rule."""
    problem = routing.parse_problem(plan.problem)
    for visit in sorted((v for v in plan.visits if not v.locked and v.id not in skip), key=lambda v: -v.start):
        others = [v for v in plan.visits if v.id != visit.id]
        for shift in (5, -5, 10, -10):
            start = math.ceil(visit.start) + shift
            moved = PlannedVisit(visitor_key=visit.visitor_key, tour=visit.tour, stand_key=visit.stand_key, start=start)
            solution = routing.parse_solution(results.solution_document(plan, others + [moved]), problem)
            if not [x for x in routing.violations(problem, solution) if x.kind != "objective"]:
                return visit.id, f"{to_local(plan.reference + timedelta(minutes=start), tz):%H:%M}"
    raise AssertionError("no visit can move")


def timed_moves(app, client, base: str, plan_id: int, num: int, headers: dict, follow: bool) -> Timings:
    """`num` moves of visits to a free minute, each found before its POST is timed."""
    timings, skip = Timings(), set()
    for _ in range(num):
        with app.app_context():
            plan = db.session.get(VisitPlan, plan_id)
            visit_id, at = free_move(plan, plan.event.timezone, skip)
            db.session.remove()
        skip.add(visit_id)
        response = timings.run(lambda: client.post(f"{base}/visits/{visit_id}/move", data={"time": at},
                                                   headers=headers, follow_redirects=follow))
        assert response.status_code in (200, 302), (visit_id, at, response.status_code)
    return timings


def line(label: str, timings: Timings, statements: int | None = None) -> None:
    median, p95, cpu, size = timings.figures()
    sql = f"   {statements:4d} SQL" if statements is not None else ""
    print(f"{label:<40} median {median:7.1f} ms   p95 {p95:7.1f} ms   CPU {cpu:7.1f} ms   {size / 1024:6.1f} KiB{sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--edits", type=int, default=10, help="locks (and as many unlocks) of each kind")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--reuse", metavar="FILE", help="a SQLite file: load the demo into it the first time, "
                        "then time the demo already there (a quicker second run)")
    args = parser.parse_args()
    reused = bool(args.reuse) and Path(args.reuse).exists()
    app = fresh_app() if not args.reuse else create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(args.reuse).resolve()}", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        started = time.perf_counter()
        if args.reuse:
            upgrade()  # a file from an older schema is brought up to date
        if not reused:
            load_demo(2018, SLUG, password="bench password 1")
        event = db.session.scalar(select(Event).where(Event.slug == SLUG))
        plan = planning.published_plan(event)
        visits = sorted(plan.visits, key=lambda v: v.start)
        edits = [v.id for v in visits if not v.locked][: args.edits]
        num_visits, plan_id, version = len(visits), plan.id, plan.version
        busiest = Counter(v.visitor_key for v in visits).most_common(1)[0][0]
        draft = next((p for p in planning.plans(event) if p.status == PlanStatus.DRAFT), None)
        if draft is None:  # a re-optimised draft, as organisers make before publishing (loaded once with --reuse)
            draft = planning.request_plan(event, planning.new_plan_request(event, 3), actor_id=None, seed=3,
                                          background=False)
        draft_id = draft.id
        db.session.remove()
        print(f"database: {db.engine.dialect.name}; demo {'reused' if reused else 'loaded'} in "
              f"{time.perf_counter() - started:.1f} s; published plan v{version}: {num_visits} visits; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")

    organiser = app.test_client()
    organiser.post("/login", data={"email": "organisation@mediane.demo", "password": "bench password 1"})
    base = f"/manage/e/{SLUG}/demonstrator/plans/{plan_id}"
    pages = [("plan page (first page)", base), ("plan page, one visitor", f"{base}?visitor={busiest}"),
             ("draft's page (what publishing changes)", f"/manage/e/{SLUG}/demonstrator/plans/{draft_id}")]
    for label, path in pages:
        timings = timed_get(organiser, path, args.repeat)
        line(label, timings, count_statements(app, lambda p=path: organiser.get(p)))
    body = organiser.get(base).get_data(as_text=True)
    print(f"{'':<40} forms on the first page: {body.count('<form')}")

    def locks(headers: dict) -> list[tuple[str, dict, dict]]:
        """A lock then an unlock of each visit, as the page's one edit form sends them."""
        return [(f"{base}/visits/edit", {name: str(vid)}, headers) for name in ("lock", "unlock") for vid in edits]
    if 'id="plan-edit"' in body:
        timings = timed_posts(organiser, locks(JSON), follow=False)
        statements = count_statements(app, lambda: organiser.post(f"{base}/visits/edit", headers=JSON,
                                                                   data={"lock": str(edits[0])}))
        organiser.post(f"{base}/visits/edit", data={"unlock": str(edits[0])}, headers=JSON)
        line("lock/unlock from the page's script", timings, statements)
        line("move from the page's script", timed_moves(app, organiser, base, plan_id, args.edits, JSON, follow=False))
        line("lock/unlock, plain form + page again", timed_posts(organiser, locks({}), follow=True))
    else:  # an older page (one form per visit and action): every edit reloads the plan
        plain = [(f"{base}/visits/{vid}/lock", {"locked": value}, {}) for value in ("1", "0") for vid in edits]
        line("lock/unlock, plain form + page again", timed_posts(organiser, plain, follow=True))
    line("move, plain form + page again", timed_moves(app, organiser, base, plan_id, args.edits, {}, follow=True))

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        organiser.get(base)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
