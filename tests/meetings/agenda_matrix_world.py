"""The agenda room's part of the access matrix's world (tests/test_access_matrix.py), after the meetings' part
(tests/meetings/matrix_world.py, which opens requests and makes the tables): the official of the matrix asked the
stand's startup to meet, accepted, published at a table an hour ago (so its mark forms show). Returns the values
that fill the agenda room's URLs."""
from __future__ import annotations

from datetime import timedelta

from app.core.timefmt import utcnow
from app.extensions import db
from app.meetings.requests.models import MeetingReason, MeetingRequest, RequestStatus
from app.meetings.requests.settings import tables_of
from tests.meetings.agenda_world import placed


def agenda_world(event, official, stand) -> dict:
    request = MeetingRequest(event_id=event.id, requester=official, recipient=stand, reason=MeetingReason.PURCHASE,
                             status=RequestStatus.ACCEPTED, expires_at=utcnow() + timedelta(days=7))
    db.session.add(request)
    db.session.flush()
    placement = placed(request, utcnow().replace(second=0, microsecond=0) - timedelta(hours=1),
                       table=tables_of(event)[0])
    db.session.commit()
    return {"scheduled_id": placement.id}
