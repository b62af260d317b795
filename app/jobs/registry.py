"""Job kinds and the functions that run them; features register theirs here."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.jobs.models import Job

#: report(fraction between 0 and 1, message) -- commits the session, so a handler reports before it writes
#: (the rest of its work is committed with the job's result, or rolled back with a failure).
Reporter = Callable[[float, str], None]
Handler = Callable[[Job, Reporter], dict[str, Any]]

_HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A job failed for a reason the organiser should read (no traceback shown)."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register



def is_known_kind(kind: str) -> bool:
    return kind in _HANDLERS


def handler_for(kind: str) -> Handler:
    return _HANDLERS[kind]
