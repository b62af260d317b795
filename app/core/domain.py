"""The one shape of a refusal that services raise and routes turn into a message."""
from __future__ import annotations


class DomainError(Exception):
    """A refusal: `code` is machine-readable, `field` names the input at fault, `params` fill the message."""

    def __init__(self, code: str, field: str | None = None, **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params
