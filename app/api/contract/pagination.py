"""Cursor pages, ordered stably by (time of the last change, id), so that a client syncing with `updated_since`
reads every change once, in order, even when rows change between two pages."""
from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy import Select, and_, or_

from app.api.contract.errors import ApiError
from app.api.contract.types import AwareDateTime
from app.extensions import db

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class PageQuery(BaseModel):
    """The query of every list: its page size, where to resume, and since when changes are wanted."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (1 to 500).")
    cursor: str | None = Field(None, max_length=200, description="The `next_cursor` of the previous page.")
    updated_since: AwareDateTime | None = Field(
        None, description="Only what was created or changed at or after this time (an incremental sync).")


def page_model(item: type[BaseModel]) -> type[BaseModel]:
    """The schema of a page of `item`s."""
    return create_model(
        f"{item.__name__}Page",
        data=(list[item], ...),
        next_cursor=(str | None, Field(None, description="Pass it as `cursor` for the next page; null on the last.")),
        __doc__=f"A page of {item.__name__} items, in the order of their last change.",
    )


def _encode(changed: datetime, row_id: int) -> str:
    raw = json.dumps([changed.isoformat(), row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        changed, row_id = json.loads(raw)
        moment, row_id = datetime.fromisoformat(changed), int(row_id)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise ApiError(400, "cursor_invalid", "cursor") from exc
    if not 0 <= row_id <= 2**31 - 1:
        raise ApiError(400, "cursor_invalid", "cursor")
    return moment, row_id


def page_of(query: Select, *, changed: Any, row_id: Any, params: PageQuery,
            scalars: bool = True) -> tuple[list, str | None]:
    """One page of `query` (rows of one entity when `scalars`), ordered by (`changed`, `row_id`) columns, and the
    cursor of the next page (None on the last)."""
    if params.updated_since is not None:
        query = query.where(changed >= params.updated_since)
    if params.cursor:
        after_changed, after_id = _decode(params.cursor)
        query = query.where(or_(changed > after_changed, and_(changed == after_changed, row_id > after_id)))
    query = query.order_by(changed, row_id).limit(params.limit + 1)
    rows = list(db.session.scalars(query) if scalars else db.session.execute(query))
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    if not more or not rows:
        return rows, None
    last = rows[-1]
    return rows, _encode(_value(last, changed), _value(last, row_id))


def _value(row: Any, column: Any) -> Any:
    key = column.key if hasattr(column, "key") else column.name
    return getattr(row, key)
