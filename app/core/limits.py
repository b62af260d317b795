"""What a column can hold, checked before every flush: a value that does not fit is a refusal, never a crash.

Forms check their fields first, with messages of their own; this is the net under every write made through
the ORM, whichever route, service or command made it. PostgreSQL refuses a text longer than its VARCHAR and an
integer past 32 bits (SQLite stores both, and the other database would then fail to copy them); SQLite turns a
NaN into NULL. Each is refused here as a `ValueRefused` naming the column, the unit of work is rolled back, and
the visitor gets a 422 saying which value is wrong (app.core.errors).
"""
from __future__ import annotations

import math

from flask import Flask
from sqlalchemy import BigInteger, Float, Integer, String, event, inspect
from sqlalchemy.orm import Session

from app.core.domain import DomainError

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


class ValueRefused(DomainError):
    """A value that does not fit its column: `field` is the column, `params` say the limit."""


def check_value(column, value) -> None:
    """ValueRefused when `value` cannot be stored in `column`."""
    if value is None or not hasattr(column, "type"):
        return
    kind = column.type
    if isinstance(kind, String) and kind.length and isinstance(value, str) and len(value) > kind.length:
        raise ValueRefused("too_long", column.key, max=kind.length, length=len(value))
    if isinstance(kind, Integer) and isinstance(value, int) and not isinstance(value, bool):
        low, high = INT64 if isinstance(kind, BigInteger) else INT32
        if not low <= value <= high:
            raise ValueRefused("out_of_range", column.key, low=low, high=high)
    if isinstance(kind, Float) and isinstance(value, float) and not math.isfinite(value):
        raise ValueRefused("not_finite", column.key)


def check_object(obj, *, changed_only: bool = False) -> None:
    """Every value `obj` is about to write (with `changed_only`, those changed since it was loaded)."""
    state = inspect(obj)
    for attribute in state.mapper.column_attrs:
        if attribute.key in state.unloaded:
            continue
        if changed_only and not state.attrs[attribute.key].history.has_changes():
            continue
        value = state.dict.get(attribute.key)
        for column in attribute.columns:
            check_value(column, value)


def _before_flush(session: Session, flush_context, instances) -> None:  # noqa: ARG001
    for obj in session.new:
        check_object(obj)
    for obj in session.dirty:
        check_object(obj, changed_only=True)  # a row stored before these checks can still be changed elsewhere


def init_app(app: Flask) -> None:  # noqa: ARG001  (one listener for every session of the process)
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
