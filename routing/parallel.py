"""More searches beside the main one, in other processes, for ``threads > 1``.

Python threads would share one core (the GIL), so each extra search runs in a
process of its own: ``python -m routing.parallel FILE``, which reads the integer
model, a seed of its own, the deadline, the work budget and the parameters from FILE (pickled; the monotonic
clock is the machine's, so the deadline means the same instant in every
process), searches like the main one and writes its best tours to its standard
output.
A plain child process rather than :mod:`multiprocessing`, which would re-run
the caller's main script in the child. SIGUSR1 asks a helper for its best plan
now. A helper that fails or does not answer in time is ignored: the main
search alone always gives a plan.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .model import IntModel
from .params import SearchParams
from .search import new_search


@dataclass
class HelperPlan:
    objective: float
    route: list[list[int]]   # per tour, its stands in visiting order
    starts: list[list[int]]  # per tour, their scaled start times
    iterations: int


def helper_seed(seed: int, k: int) -> int:
    return (seed * 1_000_003 + 7919 * k) % (1 << 31)


class Helpers:
    """``count`` helper searches started now; :meth:`collect` gathers their plans."""

    def __init__(self, model: IntModel, *, count: int, seed: int, deadline: float, work_budget: int,
                 grace: float, params: SearchParams):
        """``grace``: seconds a helper may take past the deadline to send its plan before it is ignored."""
        self.deadline = deadline
        self.grace = grace
        root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self.procs: list[subprocess.Popen] = []
        self.inputs: list[str] = []
        for k in range(1, count + 1):
            # a file rather than a pipe: the child reads it once imported, without holding up this process
            with tempfile.NamedTemporaryFile("wb", prefix="routing-", suffix=".pickle", delete=False) as fh:
                pickle.dump((model, helper_seed(seed, k), deadline, work_budget, params), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            self.inputs.append(fh.name)
            try:
                self.procs.append(subprocess.Popen([sys.executable, "-m", "routing.parallel", fh.name],
                                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                   stderr=subprocess.DEVNULL, env=env))
            except OSError:
                pass  # no interpreter to start (an embedded Python): the main search goes on alone

    def collect(self, *, stopped: bool) -> list[HelperPlan]:
        """The helpers' plans; ``stopped`` asks them for their best now."""
        if stopped:
            self._signal(signal.SIGUSR1)
        plans = []
        for proc in self.procs:
            wait = max(0.0, self.deadline - time.monotonic()) + self.grace
            try:
                out, _ = proc.communicate(timeout=wait)
                if proc.returncode == 0 and out:
                    plans.append(HelperPlan(*pickle.loads(out)))
            except (subprocess.TimeoutExpired, OSError, pickle.UnpicklingError, EOFError, TypeError):
                pass
        self.close()
        return plans

    def _signal(self, sig: int) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    proc.send_signal(sig)
                except OSError:
                    pass

    def close(self) -> None:
        """End the helpers still running (a second call does nothing)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            try:
                proc.communicate(timeout=1.0)
            except (subprocess.TimeoutExpired, OSError, ValueError):
                pass
        for name in self.inputs:
            try:
                os.unlink(name)
            except OSError:
                pass
        self.inputs = []


def main() -> int:
    with open(sys.argv[1], "rb") as fh:
        model, seed, deadline, work_budget, params = pickle.load(fh)
    stop = [False]

    def on_signal(*_) -> None:
        stop[0] = True

    signal.signal(signal.SIGUSR1, on_signal)

    def should_stop() -> bool:
        return stop[0]

    search = new_search(model, seed=seed, params=params)
    search.construct(deadline, should_stop)
    search.run(work_budget=work_budget, deadline=deadline, should_stop=should_stop)
    eng = search.engine
    # plain values: this module is __main__ here, so its classes would not unpickle in the caller
    sys.stdout.buffer.write(pickle.dumps((eng.objective, eng.route, eng.starts, search.iterations),
                                         protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
