"""One commit point per use case.

A service that completes a use case runs inside `atomic()` (or is decorated with `@atomic`):
everything it changes is committed once, when the outermost block ends, or rolled back whole
if anything inside raises, a refusal (`DomainError`) included. A service called by another joins
the caller's block, so a step that fails half way leaves nothing of the change behind. Routes
never commit; they call a service and map its refusal to a message.

`on_commit(callback)` runs `callback` after the outermost commit succeeded (to hand a job to the
queue only once its row is stored), and never if the change is rolled back.

`atomic_write()` is a unit of work that holds the database's write lock from its first statement, for
the few use cases that must read and write as one (the last seat of a workshop, a device's batch of
scans): it begins its own transaction, so it cannot join a caller's.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ContextDecorator, contextmanager
from typing import Any

from app.extensions import db

_DEPTH = "mediane.atomic_depth"
_AFTER_COMMIT = "mediane.after_commit"


class atomic(ContextDecorator):  # noqa: N801  (used as `with atomic():` and `@atomic()`, like a function)
    """A unit of work: commit at the end of the outermost block, roll everything back on an error."""

    def __enter__(self) -> None:
        info = db.session.info
        info[_DEPTH] = info.get(_DEPTH, 0) + 1

    def __exit__(self, exc_type, exc, tb) -> bool:
        info = db.session.info
        depth = info.get(_DEPTH, 1) - 1
        info[_DEPTH] = depth
        if depth > 0:
            return False
        callbacks = info.pop(_AFTER_COMMIT, [])
        if exc_type is not None:
            db.session.rollback()
            return False
        try:
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        for callback in callbacks:
            callback()
        return False


def in_atomic() -> bool:
    """True inside a unit of work."""
    return db.session.info.get(_DEPTH, 0) > 0


def on_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` once the current unit of work is committed (at once when there is none)."""
    if not in_atomic():
        callback()
        return
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)



@contextmanager
def atomic_write() -> Iterator[None]:
    """A unit of work that takes the write lock first and keeps it until its commit or rollback.

    On SQLite `BEGIN IMMEDIATE` takes the database's write lock at once (waiting the busy timeout for it),
    rather than upgrading a read lock at the first write, which fails outright when another connection
    wrote meanwhile. On PostgreSQL the transaction is a plain one: the caller's first statement takes the
    row locks it needs (`SELECT ... FOR UPDATE`). Either way what the block reads cannot change under it.

    A lock must be the first thing its transaction does, so this block never joins a caller's unit of
    work (RuntimeError inside one). It ends the read transaction the request has open -- outside a unit
    of work nothing is pending, so that commit writes nothing -- and begins its own.
    """
    if in_atomic():
        raise RuntimeError("atomic_write() begins its own transaction: it cannot run inside another unit of work")
    db.session.commit()  # ends the read transaction (loading the user, the edition...): nothing is pending here
    with atomic():
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield
