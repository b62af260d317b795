"""Rows written with a Core statement (a bulk INSERT, for speed) rather than through the session's unit of work:
the session's events never see them, so the service that writes them notes them here, in `session.info`.

Whoever follows a session's changes (the API's webhooks) reads these notes; the writer knows none of them. The
notes of a transaction go with it (the follower forgets them when the transaction ends).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

CREATED = "mediane.rows_created"  # [(model name, id, edition id)], in the order they were written


def note_created(session: Session, model: str, ids: Iterable[int], event_id: int) -> None:
    """Rows of `model` ("lead", ...) created with a Core INSERT in this transaction."""
    session.info.setdefault(CREATED, []).extend((model, row_id, event_id) for row_id in ids)


def take_created(session: Session) -> list[tuple[str, int, int]]:
    """The rows noted since the last call (and forgets them)."""
    return session.info.pop(CREATED, [])


def forget(session: Session) -> None:
    session.info.pop(CREATED, None)
