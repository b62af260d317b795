"""Place the accepted meetings of a generated summit at the tables of the meetings area: CP-SAT against the greedy.

    PYTHONPATH=. .venv/bin/python bench/bench_meetings.py [--people 1000] [--meetings 3000] [--tables 40] [--days 3]
        [--time-limit 30] [--seed 0] [--threads 1] [--fixed 0.0] [--replan 0]

The document comes from routing.meetings.generate (meeting sessions 9:00-12:30 and 14:00-18:00, 20-minute slots,
at most 4 meetings per person and session, 5-minute buffer around the officials' visit routes and everyone's
talks). Prints for the greedy and for place() (CP-SAT): wall time, meetings placed, value, the upper bound (the
lower of the static bound and CP-SAT's own), the value's share of it, the process's peak RSS so far (the greedy
runs first, so its figure is its own; place() runs the greedy too). Both placements go through the independent
checker. With --replan N, N more meetings are then requested and everything is placed again around the first
placement (its slots and tables as `previous`): how many keep their slot and table, and what is placed.
No database, no Flask.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from routing.meetings import greedy, parse_placement, place, upper_bound, violations  # noqa: E402
from routing.meetings.generate import generate  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, result, total: int) -> str:
    share = result.value / result.bound if result.bound else 1.0
    return (f"{name:<8} {result.seconds:7.2f} s  placed {len(result.placed):5d} of {total}  value {result.value:8.1f}  "
            f"bound {result.bound:8.1f}  {100 * share:6.2f} % of bound  peak RSS {peak_mb():5.0f} MB")


def checked(placement, result) -> str:
    found = violations(placement, result.to_document())
    if found:
        raise SystemExit(f"INFEASIBLE: {found[0].kind}: {found[0].message} ({len(found)} violations)")
    return "checked: feasible"


def replan(doc: dict, first, extra: int, args) -> None:
    """N more meetings, then everything placed again with the first placement as `previous`."""
    more = generate(args.people, args.meetings + extra, args.tables, args.days, args.seed + 1)["meetings"]
    known = {frozenset(m["people"]) for m in doc["meetings"]}
    rng = random.Random(args.seed)
    rng.shuffle(more)
    new = [m for m in more if frozenset(m["people"]) not in known][:extra]
    spots = {p.meeting: p for p in first.placed}
    meetings = []
    for m in doc["meetings"]:
        m = dict(m)
        if m["id"] in spots and "fixed" not in m:
            m["previous"] = {"start": spots[m["id"]].start, "table": spots[m["id"]].table}
        meetings.append(m)
    for k, m in enumerate(new):
        meetings.append(dict(m, id=f"new{k}"))
    placement = parse_placement(dict(doc, meetings=meetings))
    result = place(placement, time_limit=args.time_limit, seed=args.seed, threads=args.threads)
    now = {p.meeting: p for p in result.placed}
    same_slot = sum(1 for mid, p in spots.items() if mid in now and abs(now[mid].start - p.start) < 1e-6)
    same_table = sum(1 for mid, p in spots.items() if mid in now and abs(now[mid].start - p.start) < 1e-6
                     and now[mid].table == p.table)
    print(f"re-placed with {len(new)} new meetings and {len(spots)} previous placements:")
    print(line("cp-sat", result, len(placement.meetings)))
    print(f"         previous kept in their slot {same_slot} ({same_table} at the same table), moved "
          f"{sum(1 for mid in spots if mid in now) - same_slot}, dropped {sum(1 for mid in spots if mid not in now)}; "
          f"new placed {sum(1 for k in range(len(new)) if f'new{k}' in now)}; {checked(placement, result)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=3000)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--fixed", type=float, default=0.0, help="share of the greedy's placements fixed there")
    parser.add_argument("--replan", type=int, default=0, metavar="N", help="then N more meetings, placed again")
    args = parser.parse_args()
    if min(args.people, args.days, args.threads) < 1 or min(args.meetings, args.tables) < 0 or args.time_limit <= 0:
        parser.error("--people, --days, --threads >= 1; --meetings, --tables >= 0; --time-limit > 0")

    began = time.monotonic()
    doc = generate(args.people, args.meetings, args.tables, args.days, args.seed, args.fixed)
    placement = parse_placement(doc)
    grid = placement.grid
    lonely = sum(1 for c in grid.common if not c)
    asked = Counter(p for m in placement.meetings for p in m.people)
    print(f"{len(placement.people)} people, {len(placement.meetings)} meetings ({lonely} without a common free slot, "
          f"{sum(1 for m in placement.meetings if m.fixed)} fixed), {grid.num_slots} slots x {grid.tables} tables = "
          f"{grid.num_slots * grid.tables} places; most asked person in {max(asked.values(), default=0)} meetings; "
          f"generated and parsed in {time.monotonic() - began:.2f} s; static bound {upper_bound(placement):g}")
    print(f"machine: {sys.platform}, time limit {args.time_limit:g} s, threads {args.threads}, seed {args.seed}")

    first = greedy(placement)
    print(line("greedy", first, len(placement.meetings)) + "  " + checked(placement, first))
    result = place(placement, time_limit=args.time_limit, seed=args.seed, threads=args.threads)
    print(line("cp-sat", result, len(placement.meetings)) + "  " + checked(placement, result))
    reasons = Counter(u.reason for u in result.unplaced)
    print(f"         method {result.method}, status {result.status}, {result.solves} CP-SAT solves; unplaced: "
          + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items())))
    if args.replan:
        replan(doc, result, args.replan, args)


if __name__ == "__main__":
    main()
