"""``python -m routing meetings place|check``: place the meetings of a document, check a placement."""

from __future__ import annotations

import os
import time

from ..args import UsageError, int_at_least, positive_float, write_json
from ..fields import InvalidDocument
from ..problem import read_json
from .check import violations
from .parse import load_placement
from .solver import place


def add_parser(sub) -> None:
    """The ``meetings`` command and its own two, under the subparsers ``sub`` of ``python -m routing``."""
    m = sub.add_parser("meetings", help="place requested meetings at the tables of the meetings area")
    msub = m.add_subparsers(dest="meetings_command", parser_class=type(m))
    p = msub.add_parser("place", help="place the meetings of a meeting-placement document")
    p.add_argument("document")
    p.add_argument("-o", "--output", required=True, help="where to write the solution document")
    p.add_argument("--time-limit", type=positive_float, default=30.0, help="seconds (default 30)")
    p.add_argument("--seed", type=int_at_least(0), default=0)
    p.add_argument("--threads", type=int_at_least(1), default=1)
    c = msub.add_parser("check", help="check a placement against its document")
    c.add_argument("document")
    c.add_argument("solution")


def run(args) -> int:
    if args.meetings_command is None:
        raise UsageError("choose a meetings command: place or check")
    return _place(args) if args.meetings_command == "place" else _check(args)


def _place(args) -> int:
    began = time.monotonic()
    placement = load_placement(args.document)
    out_dir = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(out_dir):
        raise InvalidDocument(f"{args.output}: directory {out_dir} does not exist")
    result = place(placement, time_limit=max(0.1, args.time_limit - (time.monotonic() - began)), seed=args.seed,
                   threads=args.threads)
    write_json(args.output, result.to_document())
    lonely = sum(1 for u in result.unplaced if u.reason == "no_common_slot")
    print(f"placed {len(result.placed)} of {len(placement.meetings)} ({lonely} without a common free slot), "
          f"value {result.value:g}, bound {result.bound:g}, {time.monotonic() - began:.1f} s")
    return 0


def _check(args) -> int:
    placement = load_placement(args.document)
    solution = read_json(args.solution, "solution")
    try:
        found = violations(placement, solution)
    except InvalidDocument as exc:
        raise InvalidDocument(f"{args.solution}: {exc}") from None
    values = {m.id: m.value for m in placement.meetings}
    placed = {e["meeting"] for e in solution.get("placed", [])}
    value = sum(values.get(m, 0) for m in placed)
    if found:
        for v in found:
            print(f"infeasible [{v.kind}]: {v.message}")
        print(f"placed {len(placed)} of {len(placement.meetings)}, value {value:g}, INFEASIBLE ({len(found)} "
              "violations)")
        return 1
    print(f"placed {len(placed)} of {len(placement.meetings)}, value {value:g}, feasible")
    return 0
