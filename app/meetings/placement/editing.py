"""The organiser's hand on the draft: lock or unlock a table meeting, move one to a slot and a table.

Every move is checked by routing.meetings' own checker against the whole document of the table meetings (the
routes, the sessions, the days attended and the stand meetings being the people's busy times): a move that breaks
a rule the draft kept is refused, nothing stored, with the reason naming the person and what she is doing then.
A meeting moved by hand is locked there (placing again keeps it). Each function is one unit of work.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from routing.meetings import violations

from app.audit import services as audit
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.meetings.errors import Conflict, MeetingError, NotFound
from app.meetings.placement import explain
from app.meetings.placement.document import (accepted_requests, build_table_document, request_id_of,
                                             solution_of, table_id)
from app.meetings.placement.jobs import running_job
from app.meetings.placement.models import MeetingPlacement, PlaceKind
from app.meetings.placement.placing import placements_of
from app.meetings.requests.models import MeetingTable, RequestStatus

#: The checker's kinds that a move may not add (reasons of other unplaced meetings may change: not a refusal).
REFUSED = ("slot", "table", "unavailable", "table_clash", "person_clash", "cap", "fixed")
#: Those that would put someone in two places at once (or two meetings at one table): what publishing refuses. A
#: meeting off the slots' grid (the settings changed since) or one over a session's cap is no such clash.
TWO_PLACES = ("table", "unavailable", "table_clash", "person_clash")


def get_placement(event: Event, placement_id: int) -> MeetingPlacement:
    placement = db.session.get(MeetingPlacement, placement_id)
    if placement is None or placement.event_id != event.id:
        raise NotFound("unknown_placement")
    return placement


def _editable(event: Event, placement: MeetingPlacement) -> None:
    if running_job(event) is not None:
        raise Conflict("already_placing")
    if placement.request.status is not RequestStatus.ACCEPTED:
        raise Conflict("not_accepted")
    if placement.kind is not PlaceKind.TABLE:
        raise Conflict("stand_meeting")


@atomic()
def set_locked(event: Event, placement_id: int, locked: bool, *, actor_id: int | None) -> MeetingPlacement:
    """Lock a placed table meeting where it is (placing again keeps it), or unlock it."""
    placement = get_placement(event, placement_id)
    _editable(event, placement)
    if locked and not placement.is_placed:
        raise Conflict("not_placed")
    placement.locked = bool(locked)
    audit.record("meetings.placement.lock" if locked else "meetings.placement.unlock", actor_id=actor_id,
                 event_id=event.id, obj=placement)
    return placement


@atomic()
def move(event: Event, placement_id: int, *, starts_at: datetime, table: int, actor_id: int | None
         ) -> MeetingPlacement:
    """Move a table meeting to the slot starting at `starts_at` (UTC) at table `table` (its id), and lock it."""
    placement = get_placement(event, placement_id)
    _editable(event, placement)
    if placement.locked:
        raise Conflict("meeting_locked")
    chosen = db.session.get(MeetingTable, table)
    if chosen is None or chosen.event_id != event.id:
        raise MeetingError("bad_table", "table")
    placements = placements_of(event)
    built = _table_document(event, placements)
    start = built.minutes(starts_at)
    before = _refusable(violations(built.placement, solution_of(built, placements)))
    after = _refusable(violations(built.placement, solution_of(built, placements,
                                                               (placement.request_id, start, table_id(chosen)))))
    new = [v for v in after if v not in before]
    if new:
        raise MeetingError("clash", "slot", reason=explain.why(event, built, placements, placement.request_id,
                                                               starts_at, chosen, new))
    old = (placement.starts_at, placement.table_id)
    placement.starts_at, placement.table_id = starts_at, chosen.id
    placement.ends_at = starts_at + timedelta(minutes=built.slot_minutes)
    placement.unplaced, placement.locked = None, True
    audit.record("meetings.placement.move", actor_id=actor_id, event_id=event.id, obj=placement,
                 details={"from": [old[0].isoformat() if old[0] else None, old[1]],
                          "to": [starts_at.isoformat(), chosen.id]})
    return placement


def _refusable(found: list) -> list:
    return [v for v in found if v.kind in REFUSED]


def _table_document(event: Event, placements: dict[int, MeetingPlacement]):
    """The document of every meeting at a table, including a stand meeting the routes could not hold and placed at
    a table; the meetings held at stands count as busy times."""
    at_stands = {rid for rid, p in placements.items() if p.kind is PlaceKind.STAND and p.starts_at is not None}
    return build_table_document(event, [r for r in accepted_requests(event) if r.id not in at_stands], placements)


def draft_clash(event: Event) -> str | None:
    """Why the draft no longer holds, if it does not: since it was placed, something moved under it (a member
    brought along who is busy then, a route visit moved onto a meeting's time, a table deleted from the settings).
    Publishing it would send people to two places at once; None when every table meeting still holds."""
    placements = placements_of(event)
    for p in placements.values():
        if p.kind is PlaceKind.TABLE and p.starts_at is not None and p.table_id is None:
            return explain.lost_table(event, p)
    built = _table_document(event, placements)
    found = [v for v in violations(built.placement, solution_of(built, placements))
             if v.kind in TWO_PLACES and v.meeting]
    if not found:
        return None
    at_fault = placements[request_id_of(found[0].meeting)]
    return explain.why(event, built, placements, at_fault.request_id, at_fault.starts_at, at_fault.table,
                       [v for v in found if v.meeting == found[0].meeting])


