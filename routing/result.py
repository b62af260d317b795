"""The outcome of :func:`routing.solve`."""

from __future__ import annotations

from dataclasses import dataclass

from .check import is_feasible
from .problem import Problem, Solution


@dataclass(frozen=True)
class Result:
    problem: Problem
    solution: Solution
    objective: float
    bound: float | None
    status: str  # "optimal" (objective reached the bound), "feasible", "cancelled"
    runtime: float
    iterations: int = 0

    @property
    def routes(self):
        """Per tour: (visitor id, tour index, [(stand id, start), ...])."""
        return [(t.visitor, t.tour, [(v.stand, v.start) for v in t.visits]) for t in self.solution.tours]

    def is_feasible(self) -> bool:
        return is_feasible(self.problem, self.solution)

    def gap(self) -> float | None:
        """Relative gap between the bound and the objective (None without a bound)."""
        if self.bound is None:
            return None
        return (self.bound - self.objective) / max(abs(self.bound), 1e-9)

    def to_document(self) -> dict:
        return self.solution.to_document()
