"""Plan the demonstrator's visit routes through the app, and compare with the optimiser alone.

    python bench/bench_visits.py [--sizes demo large] [--time-limit 45] [--large-time-limit 120]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mediane_bench python bench/bench_visits.py

For each size it prints: the time to build the problem document from the database, the optimiser's
time, the time to store the plan, the plan's figures, and the objective that `python -m routing solve`
reaches on the same document in the same time (the app should add no loss).

- demo: the demo summit (`flask demo`: ~120 stands, 250 officials in delegations, three days).
- large: a generated summit of 1,000 officials (300 of them in 75 delegations) and 300 stands.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import fresh_app  # noqa: E402

from app.demo.demonstrator import COLUMN_X, OPEN_FROM, OPEN_TO, TOUR_SLOTS, _utc  # noqa: E402
from app.demo.generator import load_demo  # noqa: E402
from app.demonstrator.hall import calendar as hall_calendar  # noqa: E402
from app.demonstrator.hall import services as hall_services  # noqa: E402
from app.demonstrator.hall.queries import get_hall  # noqa: E402
from app.demonstrator.plans import planning, results  # noqa: E402
from app.demonstrator.plans import problem as document  # noqa: E402
from app.demonstrator.plans.models import VisitPlan  # noqa: E402
from app.demonstrator.wishes.models import Wish, WishKind  # noqa: E402
from app.events.models import CategoryCode, Event, EventStatus  # noqa: E402
from app.events.services import EventInput, create_event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.people.models import Organisation, OrganisationKind, Person  # noqa: E402
from app.registrations.models import Delegation, Mandate, Registration, RegistrationStatus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def large_summit(seed: int = 5, officials: int = 1000, stands: int = 300, in_delegations: int = 300):
    """An edition with `stands` startups on a hall grid and `officials` officials, written directly."""
    rng = random.Random(seed)
    event = create_event(EventInput(slug="bench-large", name="Grand sommet", city="Lyon", country="FR", venue="Eurexpo",
                                    timezone="Europe/Paris", starts_on=date(2027, 9, 14), ends_on=date(2027, 9, 16),
                                    status=EventStatus.OPEN), actor_id=None)
    db.session.flush()
    themes = list(event.themes)
    categories = {c.code: c for c in event.categories}
    days = [d.isoformat() for d in event.days]

    def person(n: int, kind: str) -> Person:
        return Person(email=f"{kind}{n}@bench.example", first_name="Camille", last_name=f"{kind.title()} {n}")

    startups = []
    for n in range(stands):
        org = Organisation(name=f"Startup {n:03d}", kind=OrganisationKind.STARTUP, pitch="Une solution urbaine.")
        reg = Registration(event=event, person=person(n, "startup"), category=categories[CategoryCode.STARTUP],
                           organisation=org, status=RegistrationStatus.CONFIRMED, days=days,
                           themes=rng.sample(themes, rng.randint(1, 3)))
        startups.append(reg)
    visitors = []
    for n in range(officials):
        code = CategoryCode.ELU if n % 4 else CategoryCode.DECIDEUR
        reg = Registration(event=event, person=person(n, "official"), category=categories[code],
                           status=RegistrationStatus.CONFIRMED, days=sorted(rng.sample(days, rng.randint(1, 3))),
                           mandate=Mandate.MAIRE_ADJOINT if code == CategoryCode.ELU else None,
                           themes=rng.sample(themes, rng.randint(2, 4)))
        visitors.append(reg)
    db.session.add_all(startups + visitors)
    db.session.flush()
    for d in range(in_delegations // 4):
        delegation = Delegation(event_id=event.id, name=f"Délégation {d:02d}")
        db.session.add(delegation)
        db.session.flush()
        for rank, member in enumerate(visitors[4 * d:4 * d + 4]):
            member.delegation_id, member.protocol_rank = delegation.id, rank
            member.days = visitors[4 * d].days
    hall = get_hall(event)
    rows = -(-stands // len(COLUMN_X))
    hall.width, hall.depth = 70.0, 8.0 + 5.5 * rows
    for n, startup in enumerate(startups):
        row, col = divmod(n, len(COLUMN_X))
        stand = hall_services.save_stand(event, hall_services.StandInput(
            f"{row + 1:02d}-{col + 1:02d}", x=COLUMN_X[col], y=4.0 + 5.5 * row, capacity=2 if n % 23 == 7 else 1,
            theme_id=startup.themes[0].id), actor_id=None)
        for day in event.days:
            hall_calendar.book_stand(event, stand, startup, _utc(event, day, OPEN_FROM), _utc(event, day, OPEN_TO),
                                     actor_id=None)
    hall_services.save_entrance(event, "Entrée", 35.0, hall.depth, actor_id=None)
    for day in event.days:
        for start, end, label in TOUR_SLOTS:
            hall_calendar.add_tour_slot(event, _utc(event, day, start), _utc(event, day, end), label, actor_id=None)
    for official in visitors:
        for startup in rng.sample(startups, rng.randint(0, 3)):
            db.session.add(Wish(event_id=event.id, from_registration_id=official.id, to_registration_id=startup.id,
                                kind=WishKind.WANT))
    db.session.commit()
    return event


def run(app, label: str, make_event, time_limit: float) -> None:
    with app.app_context():
        t = time.perf_counter()
        event = make_event()
        print(f"\n== {label}: data loaded in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        built = document.build_problem(event)
        build_s = time.perf_counter() - t
        doc = built.document
        print(f"document: {len(doc['visitors'])} visitors, {sum(len(v['tours']) for v in doc['visitors'])} tours, "
              f"{len(doc['stands'])} stands, {len(doc['scores'])} scored pairs; built in {build_s:.2f} s")
        timings = {}
        original_store = planning.store_solution

        def store(plan, problem, solution):
            t0 = time.perf_counter()
            original_store(plan, problem, solution)
            db.session.flush()
            timings["store"] = time.perf_counter() - t0

        planning.store_solution = store  # planning's own name for it
        t = time.perf_counter()
        plan = planning.request_plan(event, planning.PlanRequest(time_limit=time_limit), actor_id=None, seed=0,
                                     background=False)
        total = time.perf_counter() - t
        planning.store_solution = original_store
        plan = db.session.get(VisitPlan, plan.id)
        f = plan.figures
        gap = 100 * (f["bound"] - f["objective"]) / f["bound"] if f.get("bound") else float("nan")
        print(f"request_plan total {total:.1f} s: optimiser {f['seconds']:.1f} s, storing the plan "
              f"{timings.get('store', 0):.2f} s (document rebuilt in the request, figures, commit: the rest)")
        print(f"plan: {f['num_visits']} visits = {f['num_meetings']} meetings, {f['num_visitors']}/"
              f"{f['num_visitors_in_problem']} visitors, {f['num_stands_visited']}/{f['num_stands']} stands, "
              f"{len(f['shortfall'])} under their minimum, walking {f['walking_avg']:.1f} min/tour "
              f"(max {f['walking_max']:.1f})")
        print(f"objective {f['objective']:.1f}, bound {f['bound']:.1f}: {gap:.1f} % below the bound")
        check = results.check_plan(plan)
        print(f"stored plan passes check: {not check}")
        with tempfile.TemporaryDirectory() as tmp:
            problem_path, solution_path = Path(tmp) / "p.json", Path(tmp) / "s.json"
            problem_path.write_text(json.dumps(plan.problem))
            t = time.perf_counter()
            out = subprocess.run([sys.executable, "-m", "routing", "solve", str(problem_path), "-o",
                                  str(solution_path), "--time-limit", str(time_limit), "--seed", "0"],
                                 capture_output=True, text=True, cwd=ROOT)
            wall = time.perf_counter() - t
            cli = json.loads(solution_path.read_text())
            print(f"python -m routing solve, same document and time: objective {cli['objective']:.1f} "
                  f"in {wall:.1f} s wall; the app's plan is {f['objective'] - cli['objective']:+.1f} from it")
            if out.returncode:
                print(out.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", choices=["demo", "large"], default=["demo", "large"])
    parser.add_argument("--time-limit", type=float, default=45.0, help="seconds for the demo summit")
    parser.add_argument("--large-time-limit", type=float, default=120.0, help="seconds for the large summit")
    args = parser.parse_args(argv)
    print("2-core machine; figures are wall times unless said otherwise")
    if "demo" in args.sizes:
        run(fresh_app(), "demo summit", demo_summit, args.time_limit)
    if "large" in args.sizes:
        run(fresh_app(), "generated summit, 1,000 officials and 300 stands", large_summit, args.large_time_limit)
    return 0


def demo_summit():
    summary = load_demo(2018, "bench-demo", reset=True, password="bench-password", plan_seconds=0)
    return db.session.get(Event, summary.event_id)


if __name__ == "__main__":
    raise SystemExit(main())
