"""Agenda entries and workshop seats on days the person did not register for (issue 16).

A mayor registered for Wednesday and Thursday whose agenda holds a Friday workshop seat is told on her agenda
and when she books; the organiser sees it on her registration page (through `registrations.day_checks`).
"""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.timefmt import to_local
from app.program import agenda
from app.program.models import AgendaEntry, ProgramSession, SeatStatus
from app.registrations.day_checks import OffDay, add_day_check, attends
from app.registrations.models import Registration


def session_day(session: ProgramSession) -> date:
    """The day of the session as attendees see it: its published start, in the edition's time zone."""
    start = datetime.fromisoformat(session.published["starts_at"]) if session.published else session.starts_at
    return to_local(start, session.event.timezone).date()


def day_not_attended(registration: Registration, session: ProgramSession) -> date | None:
    """The session's day when the person did not register for it, else None."""
    day = session_day(session)
    return None if attends(registration, day) else day


def off_day_entries(registration: Registration, items: list[AgendaEntry]) -> dict[int, date]:
    """Agenda entry id → its day, for the entries on days the person does not attend (cancelled ones left out)."""
    found = {}
    for entry in items:
        if entry.session.is_cancelled or (entry.session.published or {}).get("cancelled"):
            continue
        day = day_not_attended(registration, entry.session)
        if day is not None:
            found[entry.id] = day
    return found


def _organiser_view(registration: Registration) -> list[OffDay]:
    items = agenda.entries(registration)
    days = off_day_entries(registration, items)
    labels = {SeatStatus.SEATED: _("seat booked"), SeatStatus.WAITING: _("on the waiting list")}
    locale = str(get_locale() or "fr")
    out = []
    for entry in items:
        if entry.id in days:
            data = entry.session.published or {"title_fr": entry.session.title_fr, "title_en": entry.session.title_en}
            title = (data.get("title_en") or data["title_fr"]) if locale == "en" else data["title_fr"]
            seat = f" ({labels[entry.seat]})" if entry.seat in labels else ""
            out.append(OffDay(days[entry.id], _("Agenda: %(title)s", title=title) + seat))
    return out


def init_app(app: Flask) -> None:
    add_day_check(app, _organiser_view)
