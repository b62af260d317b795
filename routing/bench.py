"""Benchmarks: ``python -m routing.bench toptw|summit|replan``.

``toptw`` converts the public TOPTW instances (truncated distances), solves
them, checks every solution with the independent checker, and prints score,
best-known score and gap. ``summit`` generates a realistic summit instance
(or reads ``--problem``), solves it, compares with the first-come-first-served greedy planner, and
then computes the tight (Lagrangian) bound for as long as the plan took (``--bound-time``).
``replan`` re-plans the rest of a day after events (see :mod:`routing.replan_bench`).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time

from .check import objective, violations
from .generate import SIZES, generate
from .greedy import greedy
from .lagrange import tight_bound
from .problem import load_problem, parse_problem
from .replan_bench import add_parser as add_replan_parser
from .replan_bench import replan
from .solver import solve
from .toptw import SETS, instance_path, read_bks, to_document, toptw_dir


def _run_toptw(job):
    set_name, inst, m, time_limit, seed, threads = job

    problem = parse_problem(to_document(instance_path(set_name, inst), m))
    t0 = time.monotonic()
    res = solve(problem, time_limit=time_limit, seed=seed, threads=threads)
    secs = time.monotonic() - t0
    bad = violations(problem, res.solution)
    return set_name, inst, m, res.objective, objective(problem, res.solution), res.bound, secs, len(bad)


def toptw(args) -> int:
    if not (toptw_dir() / "bks.csv").exists():
        print(f"error: benchmark folder {toptw_dir()} not found (is MEDIANE_SHARED set to another folder?)",
              file=sys.stderr)
        return 2
    bks = {(s, i, m): b for s, i, m, b in read_bks()}
    jobs = []
    for set_name in args.sets:
        files = sorted((toptw_dir() / "instances" / set_name).glob("*.txt"))
        for f in files:
            for m in args.tours:
                if args.all or (set_name, f.stem, m) in bks:
                    if not args.instances or f.stem in args.instances:
                        jobs.append((set_name, f.stem, m, args.time_limit, args.seed, args.threads))
    print(f"# {len(jobs)} runs, {args.time_limit:g} s each, seed {args.seed}, jobs {args.jobs}, "
          f"threads {args.threads} per run (machine: {multiprocessing.cpu_count()} cores)")
    print(f"{'set':16s} {'inst':6s} {'m':>2s} {'score':>8s} {'bks':>8s} {'gap%':>7s} {'bound':>9s} {'secs':>6s} check")
    pool = multiprocessing.Pool(args.jobs) if args.jobs > 1 else None
    try:
        return _report_toptw(pool.imap(_run_toptw, jobs) if pool else map(_run_toptw, jobs), bks)
    finally:
        if pool:
            pool.close()
            pool.join()


def _report_toptw(results, bks) -> int:
    gaps = []
    infeasible = 0
    for set_name, inst, m, obj, checked, bound, secs, nbad in results:
        b = bks.get((set_name, inst, m))
        gap = None if b is None else 100.0 * (b - checked) / b
        if gap is not None:
            gaps.append((gap, f"{inst} m={m}"))
        ok = "ok" if nbad == 0 and abs(obj - checked) < 1e-6 else f"FAIL({nbad})"
        infeasible += ok != "ok"
        print(f"{set_name:16s} {inst:6s} {m:2d} {checked:8g} {'-' if b is None else f'{b:g}':>8s} "
              f"{'-' if gap is None else f'{gap:.2f}':>7s} {bound:9.1f} {secs:6.2f} {ok}", flush=True)
    if gaps:
        worst = max(gaps)
        print(f"# average gap {sum(g for g, _ in gaps) / len(gaps):.2f}% over {len(gaps)} rows with a BKS; "
              f"worst {worst[0]:.2f}% ({worst[1]}); {sum(1 for g, _ in gaps if g <= 1e-9)} at or above BKS; "
              f"{infeasible} failed checks")
    return 1 if infeasible else 0


def summit(args) -> int:
    for size in ([args.problem] if args.problem else args.size):
        t0 = time.monotonic()
        problem = load_problem(size) if args.problem else parse_problem(generate(size, seed=args.seed))
        gen_s = time.monotonic() - t0
        t1 = time.monotonic()
        g_sol = greedy(problem)
        g_obj = objective(problem, g_sol)
        g_s = time.monotonic() - t1
        g_bad = violations(problem, g_sol, check_objective=False)
        limit = args.time_limit or (60.0 if args.problem else SIZES[size]["time_limit"])
        t2 = time.monotonic()
        res = solve(problem, time_limit=limit, seed=args.seed, threads=args.threads)
        secs = time.monotonic() - t2
        bad = violations(problem, res.solution)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        helper_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest helper
        gap = res.gap()
        print(f"summit {size}: {len(problem.stands)} stands, {len(problem.visitors)} visitors, "
              f"{sum(len(v.tours) for v in problem.visitors)} tours, {len(problem.scores)} scores "
              f"(generated in {gen_s:.1f} s)")
        print(f"  greedy (FCFS)   objective {g_obj:.1f}  visits {g_sol.num_visits()}  {g_s:.1f} s  "
              f"{'feasible' if not g_bad else 'INFEASIBLE'}")
        print(f"  solve {limit:g} s   objective {res.objective:.1f}  visits {res.solution.num_visits()}  "
              f"{secs:.1f} s  {'feasible' if not bad else 'INFEASIBLE'}  status {res.status}")
        print(f"  bound {res.bound:.1f}  gap to bound {100 * gap:.2f}%  gain over greedy "
              f"{100 * (res.objective - g_obj) / max(g_obj, 1e-9):.2f}%  peak RSS {peak:.0f} MB"
              f"{f' (+ {helper_peak:.0f} MB per helper)' if args.threads > 1 else ''}  "
              f"iterations {res.iterations}", flush=True)
        bound_time = limit if args.bound_time is None else args.bound_time
        if bound_time > 0:
            tight = tight_bound(problem, time_limit=bound_time, target=res.objective)
            if tight.value is None:
                print("  tight bound: none (no iteration in its time)")
                continue
            best = min(res.bound, tight.value)
            first = "-" if tight.first is None else f"{tight.first:.1f}"
            print(f"  tight bound {tight.value:.1f} ({tight.iterations} iterations, {tight.seconds:.1f} s after the "
                  f"search; first {first})  best bound {best:.1f}  gap "
                  f"{100 * (best - res.objective) / max(abs(best), 1e-9):.2f}% (of the bound, as above)  peak RSS "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True)
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m routing.bench")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("toptw")
    t.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    t.add_argument("--tours", nargs="+", type=int, default=[1, 2, 3, 4])
    t.add_argument("--instances", nargs="*", help="only these instance names (e.g. c101 pr05)")
    t.add_argument("--time-limit", type=float, default=10.0)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--jobs", type=int, default=1, help="instances solved in parallel")
    t.add_argument("--threads", type=int, default=1, help="searches per instance (see solve)")
    t.add_argument("--all", action="store_true", help="also (instance, m) pairs without a BKS")
    s = sub.add_parser("summit")
    s.add_argument("--size", nargs="+", default=["small"], choices=["tiny", "small", "medium", "large"])
    s.add_argument("--time-limit", type=float, default=None, help="default: 60/120/300 s by size")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--problem", help="a problem document (e.g. the demo summit, `flask visits export`) instead of "
                                     "a generated size")
    s.add_argument("--bound-time", type=float, default=None,
                   help="seconds for the tight (Lagrangian) bound after the search; default: the plan's time; 0: none")
    add_replan_parser(sub)
    args = p.parse_args(argv)
    return {"toptw": toptw, "summit": summit, "replan": replan}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
