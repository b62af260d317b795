"""Next year's meetings on request: an edition's clone gets the meeting settings (closed until the organiser opens
them), the category pairs (by category code), the tables and the sessions (same wall-clock times on the same day of
the edition; a session on a day the clone does not have is left out). Requests and opt-ins stay behind."""
from __future__ import annotations

from sqlalchemy import select

from app.core.timefmt import local_to_utc, to_local
from app.events.models import Event
from app.extensions import db
from app.meetings.requests.models import MeetingCategoryPair, MeetingSession, MeetingSettings, MeetingTable


def _moved(value, source: Event, clone: Event):
    """A stored UTC time of `source` at the same wall-clock time, the same day of the edition, in `clone`."""
    local = to_local(value, source.timezone)
    day = clone.starts_on + (local.date() - source.starts_on)
    return local_to_utc(day, local.time().replace(tzinfo=None), clone.timezone), day


def clone_meetings(source: Event, clone: Event) -> None:
    """Copy the meetings' setup of `source` into its new clone (an app.events clone hook)."""
    settings = db.session.get(MeetingSettings, source.id)
    if settings is None:
        return
    db.session.add(MeetingSettings(event_id=clone.id, is_open=False, acceptance=settings.acceptance,
                                   slot_minutes=settings.slot_minutes, max_per_session=settings.max_per_session,
                                   expiry_days=settings.expiry_days))
    codes = {c.id: c.code for c in source.categories}
    clone_ids = {c.code: c.id for c in clone.categories}
    for pair in db.session.scalars(select(MeetingCategoryPair).where(MeetingCategoryPair.event_id == source.id)):
        frm, to = clone_ids.get(codes.get(pair.from_category_id)), clone_ids.get(codes.get(pair.to_category_id))
        if frm is not None and to is not None:
            db.session.add(MeetingCategoryPair(event_id=clone.id, from_category_id=frm, to_category_id=to))
    for table in db.session.scalars(select(MeetingTable).where(MeetingTable.event_id == source.id)):
        db.session.add(MeetingTable(event_id=clone.id, position=table.position, name=table.name))
    for session in db.session.scalars(select(MeetingSession).where(MeetingSession.event_id == source.id)):
        starts_at, day = _moved(session.starts_at, source, clone)
        if clone.starts_on <= day <= clone.ends_on:
            db.session.add(MeetingSession(event_id=clone.id, starts_at=starts_at,
                                          ends_at=starts_at + (session.ends_at - session.starts_at)))
