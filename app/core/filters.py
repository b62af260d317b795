"""Template filters: event-local dates and times in the visitor's language, texts written in two languages."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup

from app.core.forms import error_items
from app.core.french import contract_for
from app.core.i18n import country_name, current_language, localized, localized_html
from app.core.numbers import format_number
from app.core.timefmt import format_day, format_moment


def init_app(app: Flask) -> None:
    @app.template_filter("local_datetime")
    def local_datetime(value: datetime | None, tz_name: str, fmt: str = "moment") -> str:
        """See timefmt.format_moment: "time", "moment", "moment_day", "day"..."""
        if value is None:
            return ""
        return format_moment(value, tz_name, fmt)

    @app.template_filter("utc_iso_local")
    def utc_iso_local(value: str | None, tz_name: str, fmt: str = "moment") -> str:
        """A naive-UTC ISO string (as stored in published snapshots) in the zone `tz_name`."""
        return local_datetime(datetime.fromisoformat(value), tz_name, fmt) if value else ""

    @app.template_filter("day")
    def day(value: date | None, fmt: str = "day") -> str:
        """See timefmt.format_day: "day", "day_year", "day_short", "weekday", "date"."""
        return format_day(value, fmt) if value else ""

    app.add_template_global(error_items, "error_items")
    app.add_template_filter(localized, "localized")  # in <title>, attributes and sentences: plain text
    app.add_template_filter(localized_html, "localized_html")  # in a page's text: French marked lang="fr"
    app.add_template_filter(country_name, "country_name")

    @app.template_filter("contracted")
    def contracted(text: str) -> str:
        """A translated sentence with its French contractions mended ("à Sommet" → "au Sommet"); what was
        safe HTML stays safe (the mending only adds letters, spaces and apostrophes)."""
        mended = contract_for(str(text), current_language())
        return Markup(mended) if isinstance(text, Markup) else mended

    @app.template_filter("number")
    def number(value: float | int | None, digits: int = 0) -> str:
        """7 464 (fr) or 7,464 (en); `digits` decimals at most; a dash when there is no figure."""
        return format_number(value, digits)

    @app.context_processor
    def locale_context() -> dict:
        return {"current_locale": current_language()}
