"""Why a move is refused, in the organiser's words: who, and what she is doing then.

routing.meetings' checker decides whether a move breaks a rule; this module says which person and what keeps her
busy, from the same intervals the document was built from (`availability.Busy`) and the draft's other meetings.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.i18n import current_language
from app.core.sentences import gettext as _
from app.core.sentences import ngettext
from app.core.timefmt import format_moment, format_span
from app.demonstrator.hall.models import Stand
from app.events.models import Event
from app.extensions import db
from app.meetings.placement.availability import ABSENT, MEETING, ROUTE, SESSION, Busy, people_of
from app.meetings.placement.document import TableDocument
from app.meetings.placement.models import MeetingPlacement
from app.meetings.requests.models import MeetingRequest, MeetingTable
from app.meetings.requests.settings import sessions_of, settings_or_default
from app.program.models import ProgramSession
from app.registrations.models import Registration


def name(registration: Registration) -> str:
    return registration.person.full_name


def others(request: MeetingRequest, registration_id: int) -> str:
    """The people of `request` but `registration_id`, by name."""
    names = [name(db.session.get(Registration, r)) for r in people_of(request) if r != registration_id]
    return ", ".join(names)


def _title(session: ProgramSession) -> str:
    return (session.title_en or session.title_fr) if current_language() == "en" else session.title_fr


def busy_sentence(event: Event, registration: Registration, busy: Busy) -> str:
    """"Marie Lefèvre follows her visit route from 14:00 to 15:30" (what keeps her busy then)."""
    tz = event.timezone
    who = name(registration)
    if busy.kind == ABSENT:
        return _("%(name)s does not attend on %(day)s.", name=who, day=format_moment(busy.starts_at, tz, "day"))
    if busy.kind == SESSION:
        session = db.session.get(ProgramSession, busy.ref)
        if session is not None:
            return _("%(name)s is at the session “%(title)s” from %(start)s to %(end)s.", name=who,
                     title=_title(session), start=format_moment(session.starts_at, tz, "time"),
                     end=format_moment(session.ends_at, tz, "time"))
    if busy.kind == ROUTE:
        return _("%(name)s follows her visit route from %(start)s to %(end)s.", name=who,
                 start=format_moment(busy.starts_at, tz, "time"), end=format_moment(busy.ends_at, tz, "time"))
    if busy.kind == MEETING:
        request = db.session.get(MeetingRequest, busy.ref)
        placement = db.session.scalar(select(MeetingPlacement).where(MeetingPlacement.request_id == busy.ref))
        stand = db.session.get(Stand, placement.stand_id) if placement and placement.stand_id else None
        return _("%(name)s meets %(other)s at stand %(stand)s from %(start)s to %(end)s.", name=who,
                 other=others(request, registration.id) if request else "", stand=stand.number if stand else "",
                 start=format_moment(busy.starts_at, tz, "time"), end=format_moment(busy.ends_at, tz, "time"))
    return _("%(name)s is busy from %(start)s to %(end)s.", name=who, start=format_moment(busy.starts_at, tz, "time"),
             end=format_moment(busy.ends_at, tz, "time"))


def why(event: Event, built: TableDocument, placements: dict[int, MeetingPlacement], request_id: int,
        starts_at: datetime, table: MeetingTable, found: list) -> str:
    """The first reason the checker's `found` violations stand for, naming the person and what she does then."""
    kinds = {v.kind for v in found}
    request = built.requests[f"m{request_id}"]
    ends_at = starts_at + timedelta(minutes=built.slot_minutes)
    tz = event.timezone
    if "slot" in kinds:
        return _("%(time)s is not the start of a slot of the meeting sessions.",
                 time=format_moment(starts_at, tz, "moment_day"))
    if "unavailable" in kinds:
        for registration_id in people_of(request):
            for busy in built.busy.get(registration_id, []):
                if busy.starts_at < ends_at and starts_at < busy.ends_at:
                    return busy_sentence(event, db.session.get(Registration, registration_id), busy)
    same_slot = [p for p in placements.values() if p.request_id != request_id and p.starts_at == starts_at
                 and p.table_id is not None and f"m{p.request_id}" in built.requests]
    if "person_clash" in kinds:
        for registration_id in people_of(request):
            for other in same_slot:
                if registration_id in people_of(other.request):
                    return _("%(name)s already has a meeting with %(other)s from %(start)s to %(end)s (%(table)s).",
                             name=name(db.session.get(Registration, registration_id)),
                             other=others(other.request, registration_id), start=format_moment(starts_at, tz, "time"),
                             end=format_moment(ends_at, tz, "time"), table=other.table.name if other.table else "")
    if "table_clash" in kinds:
        taken = next((p for p in same_slot if p.table_id == table.id), None)
        if taken is not None:
            return _("%(table)s is taken at %(time)s by the meeting of %(people)s.", table=table.name,
                     time=format_span(starts_at, ends_at, tz),
                     people=", ".join(name(db.session.get(Registration, r)) for r in people_of(taken.request)))
    if "cap" in kinds:
        return _cap(event, built, placements, request, starts_at)
    return "; ".join(v.message for v in found)


def lost_table(event: Event, placement: MeetingPlacement) -> str:
    """A table meeting whose table was deleted from the settings since it was placed."""
    return _("The meeting of %(people)s at %(time)s lost its table (deleted from the settings).",
             people=", ".join(name(db.session.get(Registration, r)) for r in people_of(placement.request)),
             time=format_moment(placement.starts_at, event.timezone, "moment_day"))


def _cap(event: Event, built: TableDocument, placements: dict[int, MeetingPlacement], request: MeetingRequest,
         starts_at: datetime) -> str:
    limit = settings_or_default(event).max_per_session
    session = next((s for s in sessions_of(event) if s.starts_at <= starts_at < s.ends_at), None)
    for registration_id in people_of(request):
        count = sum(1 for p in placements.values() if p.request_id != request.id and p.starts_at is not None
                    and f"m{p.request_id}" in built.requests and session is not None
                    and session.starts_at <= p.starts_at < session.ends_at and registration_id in people_of(p.request))
        if count >= limit:
            return ngettext("%(name)s already has %(num)d meeting in this session, the most allowed.",
                            "%(name)s already has %(num)d meetings in this session, the most allowed.", count,
                            name=name(db.session.get(Registration, registration_id)))
    return _("Someone in this meeting already has the most meetings allowed in this session.")
