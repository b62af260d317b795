"""The program as a spreadsheet (CSV, UTF-8 with BOM so Excel reads the accents).

S11: a text cell starting with = + - @, a tab or a carriage return gets a leading `'`,
so a spreadsheet shows it as text instead of running it as a formula.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from schedules.localize import (
    KIND_LABELS,
    WORDS,
    local,
    normalize_lang,
    require_aware,
    room_index,
    speaker_line,
)
from schedules.model import EventInfo, Room, Session

HEADERS = {
    "fr": ("date", "début", "fin", "salle", "format", "titre", "intervenant·es", "thèmes", "places", "statut"),
    "en": ("date", "start", "end", "room", "kind", "title", "speakers", "themes", "seats", "status"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def program_csv(event: EventInfo, rooms: Sequence[Room], sessions: Sequence[Session], lang: str,
                *, delimiter: str = ",") -> bytes:
    """One row per session (cancelled ones included, marked), sorted by start, room, id.

    Dates and times are local to the edition; an end on a later day than the start is
    written "YYYY-MM-DD HH:MM". Pass `delimiter=";"` for a French Excel.
    """
    lang = normalize_lang(lang)
    by_room = room_index(rooms)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS[lang])
    for session in sessions:
        require_aware(session.start, f"session {session.id} start")
        require_aware(session.end, f"session {session.id} end")
    for session in sorted(sessions, key=lambda s: (s.start, s.room_id or 0, s.id)):
        start, end = local(session.start, event.tz), local(session.end, event.tz)
        room = by_room.get(session.room_id) if session.room_id is not None else None
        writer.writerow([
            start.date().isoformat(), start.strftime("%H:%M"),
            end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M"),
            safe_cell(room.name if room else ""),
            safe_cell(KIND_LABELS[lang].get(session.kind, session.kind)),
            safe_cell(session.title(lang)),
            safe_cell(speaker_line(session, lang)),
            safe_cell(", ".join(session.themes)),
            "" if session.seat_limit is None else session.seat_limit,
            WORDS[lang]["cancelled" if session.cancelled else "scheduled"],
        ])
    return buffer.getvalue().encode("utf-8-sig")


def safe_cell(value: str) -> str:
    """Neutralise a text cell a spreadsheet would read as a formula (S11)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value
