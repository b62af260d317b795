"""Command line: ``python -m routing solve|check``."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

from .check import objective, violations
from .params import SearchParams
from .problem import InvalidDocument, Solution, load_problem, load_solution
from .solver import solve


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # no argparse exit(2) with usage noise mixed in
        raise UsageError(message)


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (x > 0 and math.isfinite(x)):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return x


def _int_at_least(lo: int):
    def conv(text: str) -> int:
        try:
            x = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if x < lo:
            raise argparse.ArgumentTypeError(f"must be >= {lo}, got {x}")
        return x
    return conv


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m routing", description="Plan and check visit routes.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    s = sub.add_parser("solve", help="plan the visits of a problem document")
    s.add_argument("problem")
    s.add_argument("-o", "--output", required=True, help="where to write the solution document")
    s.add_argument("--time-limit", type=_positive_float, required=True, help="seconds")
    s.add_argument("--seed", type=_int_at_least(0), default=0)
    s.add_argument("--threads", type=_int_at_least(1), default=1)
    s.add_argument("--save-every", type=_positive_float, default=None, metavar="SECONDS",
                   help="also write the best plan so far to the output as the search improves it, at most "
                        "every SECONDS, so that a run killed half way leaves it there")
    c = sub.add_parser("check", help="check a solution against a problem")
    c.add_argument("problem")
    c.add_argument("solution")
    return p


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
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(document, fh)
    os.replace(tmp, path)


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
            raise UsageError("choose a command: solve or check")
        return _solve(args) if args.command == "solve" else _check(args)
    except UsageError as exc:
        print(f"error: {exc}\n{parser.format_usage().strip()}", file=sys.stderr)
        return 2
    except InvalidDocument as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
