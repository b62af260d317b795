"""Next year's demonstrator: an edition's clone gets the hall (size, floor plan, walking pace, planning and
scoring settings), its entrances, its stands and its tour slots. Who holds which stand, the closures and
everything about people stay behind.

Every column is copied but the keys, so a column added later is copied too. Tour slots keep their wall-clock
times on the same day of the edition (the clone falls on the same weekdays: app.events.services.a_year_later);
a slot on a day the clone does not have is left out.
"""
from __future__ import annotations

from sqlalchemy import inspect, select

from app.core.timefmt import local_to_utc, to_local, utcnow
from app.demonstrator.hall.models import Entrance, Hall, Stand, TourSlot
from app.events.models import Event, Theme
from app.extensions import db

#: Never copied: the row's own key, and what ties it to its edition (set to the clone's).
_KEYS = frozenset({"id", "event_id"})


def _copy(row, **changes):
    """A new row of the same model with every column of `row` but its keys, and `changes`."""
    columns = {attr.key: getattr(row, attr.key) for attr in inspect(type(row)).column_attrs if attr.key not in _KEYS}
    return type(row)(**{**columns, **changes})


def _moved(value, source: Event, clone: Event):
    """A stored UTC time of `source` at the same wall-clock time, the same day of the edition, in `clone`."""
    local = to_local(value, source.timezone)
    day = clone.starts_on + (local.date() - source.starts_on)
    return local_to_utc(day, local.time().replace(tzinfo=None), clone.timezone), day


def clone_hall(source: Event, clone: Event) -> None:
    """Copy the demonstrator's setup of `source` into its new clone (an app.events clone hook)."""
    hall = db.session.scalar(select(Hall).where(Hall.event_id == source.id))
    if hall is not None:
        db.session.add(_copy(hall, event_id=clone.id, updated_at=utcnow()))
    for entrance in db.session.scalars(select(Entrance).where(Entrance.event_id == source.id)):
        db.session.add(_copy(entrance, event_id=clone.id))
    themes = dict(db.session.execute(select(Theme.id, Theme.code).where(Theme.event_id == source.id)).all())
    clone_themes = dict(db.session.execute(select(Theme.code, Theme.id).where(Theme.event_id == clone.id)).all())
    for stand in db.session.scalars(select(Stand).where(Stand.event_id == source.id)):
        theme_id = clone_themes.get(themes.get(stand.theme_id)) if stand.theme_id is not None else None
        db.session.add(_copy(stand, event_id=clone.id, theme_id=theme_id))
    for slot in db.session.scalars(select(TourSlot).where(TourSlot.event_id == source.id)):
        starts_at, day = _moved(slot.starts_at, source, clone)
        ends_at, _ = _moved(slot.ends_at, source, clone)
        if clone.starts_on <= day <= clone.ends_on:
            db.session.add(_copy(slot, event_id=clone.id, starts_at=starts_at, ends_at=ends_at))
