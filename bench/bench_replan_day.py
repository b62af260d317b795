"""Re-plan the rest of a day of the demo summit as an organiser does on the day, through the job queue.

    python bench/bench_replan_day.py [--instance /tmp/demo20/instance] [--moments 11:00,14:30,16:30] [--day 1]
                                     [--events none,late,absent,closed] [--time-limit S] [--reference 60]

On a copy of the instance's database (the demo summit with its published plan: `flask demo`), for each moment
(local time on the given day of the event, stored in UTC) and each on-the-day event recorded the way the organiser
records it (a delegation late by an hour: an availability change; an official absent from that moment on: an
availability change; a stand closed from that moment: a stand closure), this asks for the rest-of-day re-plan
as the page does (the planning service, with the page's default time limit), and a real `flask jobs worker`
process, started here on the copy, takes it from the queue and computes it. It prints:

- seconds from the request to the stored plan, and where they go (the request itself, the job's pick-up, the
  optimiser, storing and tidying after it);
- the plan's value against a rest-of-day re-plan of the same moment given --reference seconds (computed here),
  in all and for what is still to come;
- routes and people changed against the published plan (as notify.changes counts them, as the publish page says),
  next to a rest-of-day re-plan from scratch (no change penalty, same time limit, computed here).

The event is undone after each row. Figures depend on the machine: say which.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from planlib import (ROOT, WORK, after_value, change_counts, copy_database, machine, make_app,  # noqa: I001
                     say_changes, worker_environment)

from sqlalchemy import select  # noqa: E402

from app.core.timefmt import local_to_utc  # noqa: E402
from app.demonstrator.hall import calendar  # noqa: E402
from app.demonstrator.hall.models import Stand, StandClosure  # noqa: E402
from app.demonstrator.plans import planning  # noqa: E402
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan  # noqa: E402
from app.demonstrator.plans.problem import reference_of  # noqa: E402
from app.demonstrator.wishes import services as wishes  # noqa: E402
from app.events.models import Event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs.models import Job  # noqa: E402
from app.registrations.models import Delegation, Registration  # noqa: E402

EVENTS = ("none", "late", "absent", "closed")


def start_worker(path: Path) -> subprocess.Popen:
    log = open(WORK / "worker.log", "w")  # noqa: SIM115 (closed with the process)
    worker = subprocess.Popen([str(ROOT / ".venv/bin/flask"), "jobs", "worker", "--workers", "1"], cwd=ROOT,
                              env=worker_environment(path), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "Job worker:" not in (WORK / "worker.log").read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the worker did not start:\n{(WORK / 'worker.log').read_text()}")
        time.sleep(0.2)
    return worker


def busiest(plan: VisitPlan, minute: float, day_end: float, prefix: str) -> str:
    """The visitor key (prefix "d" or "r") or stand key ("") with the most published visits still to come that day."""
    counts: dict[str, int] = {}
    for visitor, stand in db.session.execute(select(PlannedVisit.visitor_key, PlannedVisit.stand_key).where(
            PlannedVisit.plan_id == plan.id, PlannedVisit.start >= minute, PlannedVisit.start < day_end)):
        key = stand if not prefix else visitor
        if key.startswith(prefix):
            counts[key] = counts.get(key, 0) + 1
    return max(sorted(counts), key=counts.get)


def record(event: Event, kind: str, moment: datetime, day: date, published: VisitPlan):
    """Record the on-the-day event as an organiser does; return what it is and how to undo it."""
    reference, event_id = reference_of(event), event.id
    minute, day_end_at = (moment - reference).total_seconds() / 60, local_to_utc(day + timedelta(days=1), clock(0),
                                                                                  event.timezone)
    day_end = (day_end_at - reference).total_seconds() / 60
    if kind == "none":
        return "nothing", lambda: None
    if kind == "closed":
        number = busiest(published, minute, day_end, "").split("/")[0]
        stand = db.session.scalar(select(Stand).where(Stand.event_id == event.id, Stand.number == number))
        closure_id = calendar.close_stand(event, stand, moment, day_end_at, "bench: closed", actor_id=None).id
        return f"stand {number} closed", lambda: calendar.remove_closure(
            db.session.get(Event, event_id), db.session.get(StandClosure, closure_id), actor_id=None)
    key = busiest(published, minute, day_end, "d" if kind == "late" else "r")
    owner = {"delegation": db.session.get(Delegation, int(key[1:]))} if kind == "late" else \
        {"registration": db.session.get(Registration, int(key[1:]))}
    window = (local_to_utc(day, clock(0), event.timezone), moment + timedelta(hours=1)) if kind == "late" else \
        (moment, day_end_at)
    change_id = wishes.change_availability(event, starts_at=window[0], ends_at=window[1], available=False,
                                           reason=f"bench: {kind}", actor_id=None, **owner).id
    what = f"delegation {key} late by 1 h" if kind == "late" else f"official {key} absent"
    return what, lambda: wishes.remove_availability_change(db.session.get(Event, event_id), change_id, actor_id=None)


def through_the_queue(event: Event, moment: datetime, limit: float) -> tuple[VisitPlan, dict]:
    started = time.perf_counter()
    plan = planning.request_plan(event, planning.PlanRequest(origin="day", time_limit=limit, after=moment),
                                 actor_id=None)
    requested = time.perf_counter()
    plan_id, job_id = plan.id, plan.job_id
    while True:
        db.session.remove()
        plan = db.session.get(VisitPlan, plan_id)
        if plan.status != PlanStatus.COMPUTING:
            break
        time.sleep(0.02)
    stored = time.perf_counter()
    job = db.session.get(Job, job_id)
    if plan.status != PlanStatus.DRAFT:
        sys.exit(f"the job did not store a plan: {plan.status.value} {plan.error} {job.error}")
    # The request's end in the database's clock: the job's timestamps are written by the worker (utcnow).
    pick_up = (job.started_at - job.created_at).total_seconds() if job.started_at else float("nan")
    solve = float(plan.figures.get("seconds") or 0)
    return plan, {"total": stored - started, "request": requested - started, "pick_up": pick_up, "solve": solve,
                  "after": (stored - started) - (requested - started) - pick_up - solve}


def in_process(event: Event, moment: datetime, limit: float, *, afresh: bool, seed: int) -> VisitPlan:
    return planning.request_plan(event, planning.PlanRequest(origin="day", time_limit=limit, after=moment,
                                                             afresh=afresh),
                                 actor_id=None, seed=seed, background=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=Path("/tmp/demo20/instance"))
    parser.add_argument("--slug", default="sommet-nevers-2027")
    parser.add_argument("--day", type=int, default=1, help="Day of the event, from 1.")
    parser.add_argument("--moments", default="11:00,14:30,16:30", help="Local times of that day.")
    parser.add_argument("--events", default=",".join(EVENTS), help=f"Among {', '.join(EVENTS)}.")
    parser.add_argument("--time-limit", type=float, default=planning.DAY_TIME_LIMIT,
                        help="The re-plan's seconds (default: the page's default for the rest of the day).")
    parser.add_argument("--reference", type=float, default=60, help="Seconds of the reference re-plan (0: none).")
    args = parser.parse_args()
    path = copy_database(args.instance)
    app = make_app(path)
    print(f"{machine()}; rest-of-day re-plans of {args.time_limit:g} s through a `flask jobs worker` "
          f"(SQLite queue), reference {args.reference:g} s computed in this process")
    worker = start_worker(path)
    try:
        with app.app_context():
            event = db.session.scalar(select(Event).where(Event.slug == args.slug))
            published = planning.published_plan(event)
            if published is None:
                sys.exit("no published plan on that event")
            day = event.starts_on + timedelta(days=args.day - 1)
            event_id, published_id, tz = event.id, published.id, event.timezone
            rows = []
            for at in args.moments.split(","):
                moment = local_to_utc(day, clock.fromisoformat(at), tz)
                for kind in args.events.split(","):
                    db.session.remove()  # each row starts afresh, as a request does
                    event, published = db.session.get(Event, event_id), db.session.get(VisitPlan, published_id)
                    minute = (moment - reference_of(event)).total_seconds() / 60
                    what, undo = record(event, kind, moment, day, published)
                    plan, times = through_the_queue(event, moment, args.time_limit)
                    event = db.session.get(Event, event_id)
                    row = {"at": at, "what": what, "times": times, "objective": plan.figures["objective"],
                           "after": after_value(plan, minute), "changes": change_counts(plan, published_id)}
                    if args.reference:
                        ref = in_process(event, moment, args.reference, afresh=False, seed=1)
                        row["ref"] = (ref.figures["objective"], after_value(ref, minute))
                    scratch = in_process(event, moment, args.time_limit, afresh=True, seed=0)
                    row["scratch"] = change_counts(scratch, published_id)
                    row["scratch_value"] = scratch.figures["value"]
                    row["value"] = plan.figures["value"]
                    undo()
                    rows.append(row)
                    say(row)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    totals = sorted(r["times"]["total"] for r in rows)
    print(f"\nfrom the request to the stored plan: max {totals[-1]:.1f} s over {len(rows)} re-plans")
    if args.reference:
        worst = min(r["objective"] / r["ref"][0] for r in rows)
        worst_after = min(r["after"] / r["ref"][1] for r in rows if r["ref"][1])
        print(f"value against {args.reference:g} s: worst {worst:.2%} in all, {worst_after:.2%} of what is "
              f"still to come")


def say(row: dict) -> None:
    t = row["times"]
    print(f"\n{row['at']} local, {row['what']}: stored {t['total']:.1f} s after the request (request "
          f"{t['request']:.2f} s, pick-up {t['pick_up']:.2f} s, optimiser {t['solve']:.2f} s, storing and tidying "
          f"{t['after']:.2f} s)")
    if "ref" in row:
        ref, ref_after = row["ref"]
        print(f"  value {row['objective']:.1f} = {row['objective'] / ref:.2%} of the reference's {ref:.1f}; "
              f"still to come {row['after']:.1f} = {row['after'] / ref_after if ref_after else 1:.2%} of "
              f"{ref_after:.1f}")
    else:
        print(f"  value {row['objective']:.1f}; still to come {row['after']:.1f}")
    print(f"  changes: {say_changes(row['changes'])}")
    print(f"  from scratch (no change penalty, same time): {say_changes(row['scratch'])}; score "
          f"{row['scratch_value']:.1f} against {row['value']:.1f}")


if __name__ == "__main__":
    main()
