"""Visit-route optimiser for the Médiane demonstrator hall.

A plain library (no Flask, no SQLAlchemy). Typical use::

    from routing import parse_problem, solve
    result = solve(parse_problem(doc), time_limit=30, seed=1,
                   progress=lambda best, bound, elapsed: ..., stop=event)
    result.to_document()   # the solution document of the contract
    tight_bound(problem, time_limit=30, target=result.objective).value  # a tighter bound, after the search
"""

from .check import Violation, edit_violations, is_feasible, objective, violations
from .problem import (
    InvalidDocument,
    Problem,
    Solution,
    load_problem,
    load_solution,
    parse_problem,
    parse_solution,
)
from .lagrange import LagrangeReport, tight_bound
from .result import Result
from .solver import solve

__all__ = [
    "InvalidDocument", "LagrangeReport", "Problem", "Result", "Solution", "Violation", "edit_violations", "is_feasible", "load_problem",
    "load_solution", "objective", "parse_problem", "parse_solution", "solve", "tight_bound",
    "violations",
]
