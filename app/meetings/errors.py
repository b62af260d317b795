"""The refusals of the meetings' services: each room names its codes and says them in the reader's language in its
own `messages` module."""
from __future__ import annotations

from app.core.domain import DomainError


class MeetingError(DomainError):
    """A refused action on meetings: `field` names the input at fault.

    `status` is what a page answers with: 422 for input that cannot be carried out as sent, 403 for an action the
    person may not take, 404 for an object she may not see, 409 for a state that changed meanwhile, 429 for one
    account sending too much."""

    status = 422


class NotAllowed(MeetingError):
    status = 403


class NotFound(MeetingError):
    status = 404


class Conflict(MeetingError):
    status = 409


class TooMany(MeetingError):
    status = 429
