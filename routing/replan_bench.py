"""``python -m routing.bench replan``: re-planning the rest of a day after late, absent and closed-stand events.

For each hour of ``--at`` (on ``--day``) and each event of :mod:`routing.replan_events`, the
document the web app would build is solved three times: the quick re-plan (``--time-limit``,
timed from the JSON text to the solution's JSON text, model build included), the reference
re-plan of the same document (``--reference-time-limit``), and the re-plan from scratch (the
same document without ``previous`` nor change penalty, with the quick time limit). Every plan is
checked with :mod:`routing.check`; the changes are counted against the base plan. As in the web
app, a tour with fewer than ``--min-route-visits`` visits (2) is left free in every plan, the
base included (a plan computed here; the app's stored plans already are).
"""

from __future__ import annotations

import json
import time

from .check import violations
from .generate import SIZES, generate
from .problem import parse_problem, parse_solution, read_json
from .replan_events import DAY, absent, afresh, changes, closed, day_document, drop_short_tours, late
from .solver import solve

EVENTS = ("late", "absent", "closed")
#: "none": the same re-plan with no news, the control (what re-planning changes by itself)
KINDS = (*EVENTS, "none")


def _minutes(hhmm: str) -> int:
    h, _, m = hhmm.partition(":")
    if not (h.isdigit() and (m.isdigit() or not m)):
        raise ValueError(f"--at: expected HH:MM, got {hhmm!r}")
    return int(h) * 60 + int(m or 0)


def _solve(doc: dict, time_limit: float, seed: int, threads: int, min_route_visits: int):
    """Solve the document as the job does (from its JSON text, short tours left free as the app's ``tidy``
    does); (solution document, seconds, ok)."""
    text = json.dumps(doc)
    t0 = time.monotonic()
    problem = parse_problem(json.loads(text))
    res = solve(problem, time_limit=time_limit, seed=seed, threads=threads)
    out = json.dumps(drop_short_tours(doc, res.to_document(), min_route_visits, problem))
    secs = time.monotonic() - t0
    sol = json.loads(out)
    return sol, secs, not violations(problem, parse_solution(sol, problem))


def _inputs(args):
    if args.problem:
        problem = read_json(args.problem, "problem")
        name = args.problem
    else:
        problem = generate(args.size, seed=args.seed)
        name = f"generated {args.size} seed {args.seed}"
    parse_problem(problem)
    if args.base:
        base = read_json(args.base, "solution")
        parse_solution(base, parse_problem(problem), "base")
        return problem, base, name, f"base {args.base}"
    limit = SIZES[args.size]["time_limit"] if not args.problem else 60
    t0 = time.monotonic()
    res = solve(parse_problem(problem), time_limit=limit, seed=args.seed, threads=args.threads)
    base = drop_short_tours(problem, res.to_document(), args.min_route_visits)
    return problem, base, name, f"base solved in {time.monotonic() - t0:.1f} s"


def event_document(kind: str, problem: dict, base: dict, at: float, delay: float = 40):
    """(document, affected visitor or stand id or None) of one event at minute ``at``."""
    doc = day_document(problem, base, at)
    if kind == "none":
        return doc, "-"
    if kind == "late":
        return late(doc, base, at, delay)
    if kind == "absent":
        return absent(doc, base, at)
    if kind == "closed":
        return closed(doc, base, at)
    raise ValueError(f"unknown event {kind!r}")


def replan(args) -> int:
    problem, base, name, how = _inputs(args)
    print(f"# replan on {name} ({len(problem['visitors'])} visitors, {len(problem['stands'])} stands), {how}, "
          f"base objective {base.get('objective', 0):.1f}; day {args.day}; quick {args.time_limit:g} s, "
          f"reference {args.reference_time_limit:g} s, scratch {args.time_limit:g} s; seed {args.seed}, "
          f"threads {args.threads}")
    print("# changes = routes/visitors/stands changed against the base plan; ratio = quick / reference value")
    print(f"{'event':6s} {'at':5s} {'who':8s} {'locked':>6s} {'quick s':>7s} {'quick':>9s} {'reference':>9s} "
          f"{'ratio%':>6s} {'quick chg':>12s} {'ref chg':>12s} {'scratch chg':>12s} {'scratch':>9s} check")
    failed = 0
    ratios, worst_secs = [], 0.0
    for hhmm in args.at:
        at = args.day * DAY + _minutes(hhmm)
        for kind in args.events:
            doc, who = event_document(kind, problem, base, at, args.delay)
            if who is None:
                print(f"{kind:6s} {hhmm:5s} (no visitor or stand concerned at that hour)")
                continue
            quick, q_secs, q_ok = _solve(doc, args.time_limit, args.seed, args.threads, args.min_route_visits)
            ref, _, r_ok = _solve(doc, args.reference_time_limit, args.seed, args.threads, args.min_route_visits)
            scratch, _, s_ok = _solve(afresh(doc), args.time_limit, args.seed, args.threads,
                                          args.min_route_visits)
            ok = q_ok and r_ok and s_ok
            failed += not ok
            ratio = 100.0 * quick["objective"] / max(ref["objective"], 1e-9)
            ratios.append(ratio)
            worst_secs = max(worst_secs, q_secs)
            chg = ["/".join(map(str, changes(problem, base, p))) for p in (quick, ref, scratch)]
            print(f"{kind:6s} {hhmm:5s} {who:8s} {len(doc['locked']):6d} {q_secs:7.2f} {quick['objective']:9.1f} "
                  f"{ref['objective']:9.1f} {ratio:6.2f} {chg[0]:>12s} {chg[1]:>12s} {chg[2]:>12s} "
                  f"{scratch['objective']:9.1f} {'ok' if ok else 'FAIL'}", flush=True)
    if ratios:
        print(f"# {len(ratios)} re-plans: worst ratio {min(ratios):.2f}%, mean {sum(ratios) / len(ratios):.2f}%, "
              f"slowest quick re-plan {worst_secs:.2f} s; {failed} failed checks")
    return 1 if failed else 0


def add_parser(sub) -> None:
    r = sub.add_parser("replan", help="re-plan the rest of a day after late, absent and closed-stand events")
    src = r.add_mutually_exclusive_group()
    src.add_argument("--problem", help="a problem document (e.g. the demo summit exported by the app)")
    src.add_argument("--size", choices=["tiny", "small", "medium"], default="small")
    r.add_argument("--base", help="the base plan (a solution document); else solved with the size's time limit")
    r.add_argument("--day", type=int, default=1, help="day of the event (0 = first), minute 0 its midnight")
    r.add_argument("--at", nargs="+", default=["11:00", "14:30", "15:45"], help="hours of the events (HH:MM)")
    r.add_argument("--events", nargs="+", choices=KINDS, default=list(EVENTS),
                   help="none: no news, the control")
    r.add_argument("--delay", type=float, default=40, help="minutes a late visitor's tours start later")
    r.add_argument("--time-limit", type=float, default=5.0, help="the quick re-plan's time limit")
    r.add_argument("--reference-time-limit", type=float, default=60.0)
    r.add_argument("--min-route-visits", type=int, default=2,
                   help="tours with fewer visits are left free, as the web app does (its hall's default)")
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--threads", type=int, default=1)
