"""Job kinds, the functions that run them, and what each becomes when its worker dies; features register theirs.

A kind's `on_interrupted(job)` hook decides what a job whose worker vanished (its lease ran out) becomes:
it returns a JobError (the job ends failed with that sentence, and the error's `result`, such as what was
done so far and how to finish it), RUN_AGAIN (the job is queued again: only for kinds whose handler is
safe to run twice) or Finished(result, message) (the job had committed all its work when its worker died,
only an optional last step was lost: it ends done). It is called inside the sweep's unit of work, with the
job already marked failed, in the language of the organiser who started the job. Without a hook, the job ends
failed with a general sentence.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.jobs.models import Job

#: report(fraction between 0 and 1, message) -- commits the session, so a handler reports before it writes
#: (the rest of its work is committed with the job's result, or rolled back with a failure). It also renews
#: the job's lease, and raises JobLost when the job is no longer this worker's (the sweep gave it up).
Reporter = Callable[[float, str], None]
Handler = Callable[[Job, Reporter], dict[str, Any]]


class JobError(Exception):
    """A job failed for a reason the organiser should read (no traceback shown).

    `result`, when given, is stored as the job's result all the same: what was done, and how to go on.
    """

    def __init__(self, message: str, *, result: dict[str, Any] | None = None):
        super().__init__(message)
        self.result = result


class RunAgain:
    """What an interrupted job becomes when its kind is safe to run again from the start."""

    def __repr__(self) -> str:
        return "RUN_AGAIN"


RUN_AGAIN = RunAgain()


@dataclass(frozen=True)
class Finished:
    """What an interrupted job becomes when its work was all committed before its worker died: done, with
    `result` and `message` (what the organiser reads, saying what was left undone)."""

    result: dict[str, Any]
    message: str


InterruptHook = Callable[[Job], "JobError | RunAgain | Finished"]


@dataclass(frozen=True)
class JobKind:
    run: Handler
    on_interrupted: InterruptHook | None = None


_KINDS: dict[str, JobKind] = {}


def job_handler(kind: str, *, on_interrupted: InterruptHook | None = None) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`, and what a job of it becomes when its worker dies."""

    def register(fn: Handler) -> Handler:
        _KINDS[kind] = JobKind(fn, on_interrupted)
        return fn

    return register


def is_known_kind(kind: str) -> bool:
    return kind in _KINDS


def handler_for(kind: str) -> Handler:
    return _KINDS[kind].run


def interrupt_hook(kind: str) -> InterruptHook | None:
    entry = _KINDS.get(kind)
    return entry.on_interrupted if entry is not None else None
