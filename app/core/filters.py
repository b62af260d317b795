"""Template filters: event-local dates and times in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from app.core.numbers import format_number
from app.core.timefmt import to_local


def init_app(app: Flask) -> None:
    @app.template_filter("local_datetime")
    def local_datetime(value: datetime | None, tz_name: str, fmt: str = "medium") -> str:
        if value is None:
            return ""
        return format_datetime(to_local(value, tz_name), fmt, rebase=False)

    @app.template_filter("utc_iso_local")
    def utc_iso_local(value: str | None, tz_name: str, fmt: str = "medium") -> str:
        """A naive-UTC ISO string (as stored in published snapshots) in the zone `tz_name`."""
        return local_datetime(datetime.fromisoformat(value), tz_name, fmt) if value else ""

    @app.template_filter("day")
    def day(value: date | None, fmt: str = "full") -> str:
        return format_date(value, fmt) if value else ""

    @app.template_filter("number")
    def number(value: float | int | None, digits: int = 0) -> str:
        """7 464 (fr) or 7,464 (en); `digits` decimals at most; a dash when there is no figure."""
        return format_number(value, digits)

    @app.context_processor
    def locale_context() -> dict:
        return {"current_locale": str(get_locale() or "fr")}
