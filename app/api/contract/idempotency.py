"""Idempotent writes (R4): the answer to a write sent with an `Idempotency-Key` is stored with the write, in the
same unit of work; the same key and request again get that answer back, and nothing is written twice."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.api.contract.errors import ApiError
from app.api.models import IdempotentAnswer
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.extensions import db

_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")

Answer = tuple[int, dict]


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ApiError(400, "idempotency_key_invalid", "Idempotency-Key")
    return key


def _stored(token_id: int, key: str) -> IdempotentAnswer | None:
    return db.session.scalar(select(IdempotentAnswer).where(IdempotentAnswer.token_id == token_id,
                                                            IdempotentAnswer.key == key))


def _replay(answer: IdempotentAnswer, print_: str) -> Answer:
    if answer.fingerprint != print_:
        raise ApiError(422, "idempotency_key_reused", "Idempotency-Key")
    return answer.status_code, json.loads(answer.body)


def run_once(token_id: int, key: str | None, print_: str, write: Callable[[], Answer]) -> tuple[Answer, bool]:
    """Run `write` in one unit of work, storing its answer under `key` when there is one; or the stored answer.
    Returns the answer and whether it is a replay. A refused write (an error) stores nothing."""
    if key is None:
        with atomic():
            return write(), False
    answer = _stored(token_id, key)
    if answer is not None:
        return _replay(answer, print_), True
    try:
        with atomic():
            status, body = write()
            db.session.add(IdempotentAnswer(token_id=token_id, key=key, fingerprint=print_, status_code=status,
                                            body=json.dumps(body)))
    except IntegrityError:
        # The same key sent twice at once: the other request stored its answer first (PostgreSQL waits for it
        # to commit before refusing this one; SQLite writes one at a time). Any other conflict is the write's own.
        answer = _stored(token_id, key)
        if answer is None:
            raise
        return _replay(answer, print_), True
    return (status, body), False


@atomic()
def purge_old_answers() -> int:
    """Stored answers older than API_IDEMPOTENCY_HOURS are forgotten (a replay after that writes again)."""
    cutoff = utcnow() - timedelta(hours=current_app.config["API_IDEMPOTENCY_HOURS"])
    return db.session.execute(delete(IdempotentAnswer).where(IdempotentAnswer.created_at < cutoff)).rowcount or 0
