"""The placement's part of the access matrix's world (tests/test_access_matrix.py): the official of the matrix meets a
startup at a table (accepted, placed at the first slot of the session where both are free, not published: publishing
refuses a draft that would put someone in two places), and the edition's meetings
were placed once (so that publishing has something to publish). Returns the values that fill the placement's URLs."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.core.timefmt import utcnow
from app.extensions import db
from app.meetings.placement.editing import draft_clash
from app.meetings.placement.models import MeetingPlacement, PlaceKind, PlacementRun
from app.meetings.requests.models import MeetingReason, MeetingRequest, MeetingSession, MeetingTable, RequestStatus


def placement_world(event, official, startup) -> dict:
    session = db.session.scalar(select(MeetingSession).where(MeetingSession.event_id == event.id))
    table = db.session.scalar(select(MeetingTable).where(MeetingTable.event_id == event.id)
                              .order_by(MeetingTable.position))
    request = MeetingRequest(event_id=event.id, requester=official, recipient=startup, reason=MeetingReason.DISCOVER,
                             status=RequestStatus.ACCEPTED, answered_at=utcnow(),
                             expires_at=utcnow() + timedelta(days=7))
    db.session.add(request)
    db.session.flush()
    placement = MeetingPlacement(event_id=event.id, request_id=request.id, kind=PlaceKind.TABLE,
                                 starts_at=session.starts_at, ends_at=session.starts_at + timedelta(minutes=20),
                                 table_id=table.id)
    db.session.add_all([placement, PlacementRun(event_id=event.id, placed_at=utcnow(), figures={"placed": 1,
                                                                                               "total": 1})])
    db.session.flush()
    while draft_clash(event) is not None and placement.ends_at + timedelta(minutes=20) <= session.ends_at:
        placement.starts_at += timedelta(minutes=20)
        placement.ends_at += timedelta(minutes=20)
        db.session.flush()
    assert draft_clash(event) is None, "the matrix's meeting has no free slot in its session"
    db.session.commit()
    return {"placement_id": placement.id}
