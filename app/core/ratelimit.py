"""Requests counted per minute on the row of whoever makes them (a scanner's device, an API token), or per
window of another length (a person's meeting requests, per hour).

One atomic UPDATE, committed on its own before the request goes on: concurrent requests cannot both slip under
the limit, a refused or failing request counts as well, and the row is not kept locked while the request works.
The row's model has two integer columns, `rate_minute` (the window's number since the epoch: the minute's, with
the default window of 60 s) and `rate_count`.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, update

from app.core.transaction import atomic_write
from app.extensions import db


def count_request(model, row_id: int, *, now: datetime, window: int = 60, **values) -> int:
    """Count one request on `model`'s row `row_id` in `now`'s window of `window` seconds (also setting `values`);
    the window's count. The row must exist."""
    minute = int(now.timestamp() // window)
    with atomic_write():
        return db.session.execute(
            update(model).where(model.id == row_id)
            .values(rate_count=case((model.rate_minute == minute, model.rate_count + 1), else_=1),
                    rate_minute=minute, **values)
            .returning(model.rate_count)
            .execution_options(synchronize_session=False)
        ).scalar_one()


def seconds_to_next_minute(now: datetime, window: int = 60) -> int:
    """Seconds until the next window (the next minute by default) begins."""
    return window - int(now.timestamp()) % window
