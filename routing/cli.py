"""Command line: ``python -m routing solve|check|bound|meetings``."""

from __future__ import annotations

import argparse
import os
import sys
import time

from .meetings import cli as meetings_cli
from .args import Parser, UsageError, int_at_least, positive_float, write_json
from .check import objective, violations
from .lagrange import tight_bound
from .params import SearchParams
from .problem import InvalidDocument, Solution, load_problem, load_solution
from .solver import solve


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m routing", description="Plan and check visit routes.")
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    s = sub.add_parser("solve", help="plan the visits of a problem document")
    s.add_argument("problem")
    s.add_argument("-o", "--output", required=True, help="where to write the solution document")
    s.add_argument("--time-limit", type=positive_float, required=True, help="seconds")
    s.add_argument("--seed", type=int_at_least(0), default=0)
    s.add_argument("--threads", type=int_at_least(1), default=1)
    s.add_argument("--save-every", type=positive_float, default=None, metavar="SECONDS",
                   help="also write the best plan so far to the output as the search improves it, at most "
                        "every SECONDS, so that a run killed half way leaves it there")
    c = sub.add_parser("check", help="check a solution against a problem")
    c.add_argument("problem")
    c.add_argument("solution")
    b = sub.add_parser("bound", help="a tighter upper bound (Lagrangian relaxation), and the gap a plan leaves")
    b.add_argument("problem")
    b.add_argument("--time-limit", type=positive_float, required=True, help="seconds")
    b.add_argument("--solution", default=None, help="a plan of the problem: its value guides the steps and the "
                                                    "gap is printed")
    meetings_cli.add_parser(sub)
    return p


def _bound(args) -> int:
    problem = load_problem(args.problem)
    value = None
    if args.solution is not None:
        solution = load_solution(args.solution, problem)
        found = violations(problem, solution)
        if found:
            raise InvalidDocument(f"{args.solution}: not a feasible plan ({found[0].message})")
        value = objective(problem, solution)
    report = tight_bound(problem, time_limit=args.time_limit, target=value)
    if report.value is None:
        print("bound none (stopped before the first iteration)")
        return 1
    gap = "" if not value else f"  objective {value:g}  gap {100 * (report.value - value) / abs(value):.2f}%"
    first = "-" if report.first is None else f"{report.first:.1f}"
    print(f"bound {report.value:.1f}  first {first}  iterations {report.iterations}  "
          f"seconds {report.seconds:.2f}{gap}")
    return 0


def _solve(args) -> int:
    t0 = time.monotonic()
    problem = load_problem(args.problem)
    out_dir = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(out_dir):
        raise InvalidDocument(f"{args.output}: directory {out_dir} does not exist")
    remaining = args.time_limit - (time.monotonic() - t0)
    save = None
    params = SearchParams()
    if args.save_every is not None:
        params = SearchParams(incumbent_interval=args.save_every)

        def save(solution: Solution) -> None:
            _write(args.output, solution.to_document())
    result = solve(problem, time_limit=max(0.1, remaining), seed=args.seed, threads=args.threads, improved=save,
                   params=params)
    _write(args.output, result.to_document())
    gap = result.gap()
    print(f"objective {result.objective:g}  visits {result.solution.num_visits()}  "
          f"seconds {time.monotonic() - t0:.2f}  bound {result.bound if result.bound is None else f'{result.bound:g}'}"
          f"{'' if gap is None else f'  gap {100 * gap:.2f}%'}  status {result.status}")
    return 0


def _write(path: str, document: dict) -> None:
    """Write the whole document or nothing: a reader (or a kill) never sees half of it."""
    write_json(path, document)


def _check(args) -> int:
    problem = load_problem(args.problem)
    solution = load_solution(args.solution, problem)
    found = violations(problem, solution)
    obj = objective(problem, solution)
    if found:
        for v in found:
            print(f"infeasible [{v.kind}]: {v.message}")
        print(f"objective {obj:g}  visits {solution.num_visits()}  INFEASIBLE ({len(found)} violations)")
        return 1
    print(f"objective {obj:g}  visits {solution.num_visits()}  feasible")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError("choose a command: solve, check, bound or meetings")
        return {"solve": _solve, "check": _check, "bound": _bound, "meetings": meetings_cli.run}[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}\n{parser.format_usage().strip()}", file=sys.stderr)
        return 2
    except InvalidDocument as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
