"""Template filters: event-local dates and times in the visitor's language."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup
from flask_babel import format_date, format_datetime, get_locale

from app.core.french import contract_for
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

    @app.template_filter("contracted")
    def contracted(text: str) -> str:
        """A translated sentence with its French contractions mended ("à Sommet" → "au Sommet"); what was
        safe HTML stays safe (the mending only adds letters, spaces and apostrophes)."""
        mended = contract_for(str(text), str(get_locale() or "fr"))
        return Markup(mended) if isinstance(text, Markup) else mended

    @app.context_processor
    def locale_context() -> dict:
        return {"current_locale": str(get_locale() or "fr")}
