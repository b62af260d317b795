"""The refusals of the network's services: each room (members, library, replication) names its codes and says
them in the reader's language in its own `messages` module."""
from __future__ import annotations

from app.core.domain import DomainError


class NetworkError(DomainError):
    """A refused action in the network: `field` names the input at fault."""

    #: The HTTP status a page answers with: 422 for input that cannot be carried out as sent, 403 for an action
    #: the person may not take, 404 for an object she may not see, 409 for a state that changed meanwhile.
    status = 422


class NotAllowed(NetworkError):
    status = 403


class NotFound(NetworkError):
    status = 404


class Conflict(NetworkError):
    status = 409
