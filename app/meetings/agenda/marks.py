"""The marks of the day: either side says its meeting was held, or that the other side did not come; her
delegation's coordinator or an organiser may say it for her; the startup's scan of the other side's badge says it
was held.

A side marks once: a second mark replaces the first (she tapped the wrong button). A scan never replaces what a
side said by hand. Marks are taken from the meeting's published start on (a no-show before it starts means
nothing). Each mark is one unit of work with its audit row; a refusal changes nothing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from app.audit import services as audit
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.demonstrator.realised.matching import TOLERANCE
from app.events.models import Event
from app.extensions import db
from app.leads.scan_hooks import NewScan
from app.meetings.agenda import schedule
from app.meetings.errors import Conflict, MeetingError, NotAllowed, NotFound
from app.meetings.placement.models import Mark, MarkSource, MeetingMark, MeetingPlacement
from app.meetings.requests.models import MeetingRequest, Side
from app.people.models import Person
from app.registrations.models import Registration


def parse_mark(value: str | None) -> Mark:
    try:
        return Mark(value or "")
    except ValueError:
        raise MeetingError("bad_mark", "mark") from None


def parse_side(value: str | None) -> Side | None:
    if not value:
        return None
    try:
        return Side(value)
    except ValueError:
        raise MeetingError("bad_side", "side") from None


def _set(placement: MeetingPlacement, side: Side, mark: Mark, source: MarkSource, by: int | None,
         at: datetime) -> MeetingMark:
    found = next((m for m in placement.marks if m.side is side), None)
    if found is None:
        found = MeetingMark(side=side, mark=mark, source=source, marked_by_id=by, marked_at=at)
        placement.marks.append(found)
    else:
        found.mark, found.source, found.marked_by_id, found.marked_at = mark, source, by, at
    return found


def mark_meeting(event: Event, placement_id: int, *, mark: str | None, side: str | None, actor: Person,
                 as_organiser: bool = False, now: datetime | None = None) -> MeetingMark:
    """Record one side's word on a published meeting (see the module). `side` may be left out when the actor
    speaks for one side only; an organiser names it. NotFound for a meeting the actor is not in."""
    now = now or utcnow()
    with atomic():
        wanted = parse_mark(mark)
        chosen = parse_side(side)
        placement = schedule.published_meeting(event.id, placement_id)
        if placement is None:
            raise NotFound("unknown_meeting")
        sides = set(Side) if as_organiser else schedule.sides_for(placement, actor)
        if not sides:
            raise NotFound("unknown_meeting")  # not hers: as if it did not exist
        if chosen is None:
            if len(sides) > 1:
                raise MeetingError("side_needed", "side")
            chosen = next(iter(sides))
        if chosen not in sides:
            raise NotAllowed("not_your_side", "side")
        if now < placement.published_starts_at:
            raise Conflict("not_started", "mark")
        found = _set(placement, chosen, wanted, MarkSource.WEB, actor.id, now)
        db.session.flush()
        audit.record("meetings.mark", actor_id=actor.id, event_id=event.id, obj=placement,
                     details={"mark": wanted.value, "side": chosen.value, "organiser": as_organiser})
    return found


def held_by_scan(event_id: int, stand_id: int, scans: list[NewScan]) -> int:
    """A stand's new scans (a hook of app.leads, inside the batch's unit of work): a scan of someone of the other
    side of a published meeting of the startup's, within the meeting's time widened as the realised visits are
    (app.demonstrator.realised.matching.TOLERANCE), marks the startup's side held, by scan, unless that side
    already said something. Returns how many meetings it marked."""
    team = select(Registration.id).where(or_(Registration.id == stand_id, Registration.team_lead_id == stand_id))
    placements = db.session.scalars(schedule.loaded(schedule.published().where(
        MeetingPlacement.event_id == event_id,
        or_(MeetingRequest.from_registration_id.in_(team), MeetingRequest.to_registration_id.in_(team))))).all()
    marked = 0
    for placement in placements:
        startup_side = schedule.startup_side(placement, stand_id)
        if startup_side is None or any(m.side is startup_side for m in placement.marks):
            continue
        others = {r.id for r in schedule.people_of_side(placement, schedule.other(startup_side))}
        starts, ends = placement.published_starts_at - TOLERANCE, placement.published_ends_at + TOLERANCE
        seen = sorted(s.scanned_at for s in scans if s.registration_id in others and starts <= s.scanned_at <= ends)
        if seen:
            _set(placement, startup_side, Mark.HELD, MarkSource.SCAN, None, seen[0])
            audit.record("meetings.mark", actor_id=None, event_id=event_id, obj=placement,
                         details={"mark": Mark.HELD.value, "side": startup_side.value, "source": "scan"})
            marked += 1
    if marked:
        db.session.flush()
    return marked
