"""The published program as iCal, frab and CSV, and personal calendar feeds with their secret tokens."""
from __future__ import annotations

import schedules
from flask_babel import force_locale
from schedules.localize import normalize_lang
from sqlalchemy import select

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.core.urls import public_base_url, public_hostname, public_url
from app.events.models import Event
from app.extensions import db
from app.program import agenda, convert
from app.program.calendar_sources import calendar_sources
from app.program.models import FeedToken, ProgramPublication, ProgramSession, Room, SeatStatus
from app.registrations.models import Registration, RegistrationStatus


def published_sessions(event: Event, *, include_cancelled: bool = False) -> list[ProgramSession]:
    sessions = db.session.scalars(select(ProgramSession).where(
        ProgramSession.event_id == event.id, ProgramSession.published.is_not(None))).all()
    return sorted((s for s in sessions if include_cancelled or not s.published["cancelled"]),
                  key=lambda s: (s.published["starts_at"], s.id))


def _values(event: Event, sessions: list[ProgramSession]):
    info = convert.event_info(event, uid_domain=public_hostname(), url=public_base_url())
    rooms = [convert.room_value(r) for r in db.session.scalars(select(Room).where(Room.event_id == event.id))]
    values = [convert.published_value(s, _session_url(event, s)) for s in sessions]
    return info, rooms, values


def _session_url(event: Event, session: ProgramSession) -> str:
    return public_url("program.session", slug=event.slug, session_id=session.id)


def program_ics(event: Event, lang: str) -> bytes:
    info, rooms, values = _values(event, published_sessions(event, include_cancelled=True))
    return schedules.program_calendar(info, rooms, values, lang)


def personal_ics(registration: Registration, lang: str) -> bytes:
    """The attendee's agenda and seats (waiting-list places left out), cancelled sessions as cancelled,
    and what the registered calendar sources add (the demonstrator: an official's route, or the visits a
    startup's stand receives)."""
    event = registration.event
    kept = [e.session for e in agenda.entries(registration)
            if e.seat != SeatStatus.WAITING and e.session.published is not None]
    info, rooms, values = _values(event, kept)
    with force_locale(normalize_lang(lang)):
        extra = [item for source in calendar_sources() for item in
                 source.items(registration, uid_domain=public_hostname(), page_url=source.page_url(registration))]
    return schedules.personal_calendar(info, rooms, values, lang, name=registration.person.full_name,
                                       extra_events=extra)


def frab_xml(event: Event) -> bytes:
    info, rooms, values = _values(event, published_sessions(event))
    return schedules.frab_xml(info, rooms, values, version=_version(event))


def frab_json(event: Event) -> dict:
    info, rooms, values = _values(event, published_sessions(event))
    return schedules.frab_json(info, rooms, values, version=_version(event))


def program_csv(event: Event, lang: str) -> bytes:
    info, rooms, values = _values(event, published_sessions(event))
    return schedules.program_csv(info, rooms, values, lang)


def _version(event: Event) -> str:
    latest = db.session.scalar(select(ProgramPublication).where(ProgramPublication.event_id == event.id)
                               .order_by(ProgramPublication.id.desc()).limit(1))
    return f"{latest.id} ({latest.published_at:%Y-%m-%d %H:%M} UTC)" if latest else "0"


@atomic()
def current_token(registration: Registration) -> FeedToken:
    """The person's subscription token, issued on first use (one unit of work)."""
    token = db.session.scalar(select(FeedToken).where(FeedToken.registration_id == registration.id,
                                                      FeedToken.revoked_at.is_(None)))
    if token is None:
        token = FeedToken(registration_id=registration.id)
        db.session.add(token)
        db.session.flush()
    return token


def renew_token(registration: Registration, *, actor_id: int) -> FeedToken:
    """Revoke the subscription URL and issue a new one (S1)."""
    for token in db.session.scalars(select(FeedToken).where(FeedToken.registration_id == registration.id,
                                                            FeedToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
    db.session.flush()
    audit.record("feed.renew", actor_id=actor_id, event_id=registration.event_id, obj=registration)
    return current_token(registration)


def registration_for_token(token: str) -> Registration | None:
    """The registration behind a live feed token; None for unknown, revoked or cancelled."""
    if not token.startswith("f_") or len(token) > 64:
        return None
    row = db.session.scalar(select(FeedToken).where(FeedToken.token == token, FeedToken.revoked_at.is_(None)))
    if row is None or row.registration.status == RegistrationStatus.CANCELLED:
        return None
    return row.registration
