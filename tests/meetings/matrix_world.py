"""The meetings' part of the access matrix's world (tests/test_access_matrix.py): requests are open from officials
to startups and back; the stand's startup asked the official of the matrix to meet (pending), both appear in the
list of attendees; one meeting session. Returns the values that fill the meetings' URLs."""
from __future__ import annotations

from datetime import time, timedelta

from app.core.timefmt import utcnow
from app.extensions import db
from app.meetings.requests import settings
from app.meetings.requests.models import MeetingReason, MeetingRequest
from tests.meetings.world import category_ids


def meetings_world(event, official, stand) -> dict:
    ids = category_ids(event)
    settings.save_settings(event, settings.SettingsInput(
        is_open=True, acceptance="needs_acceptance", slot_minutes=20, max_per_session=6, expiry_days=7, tables="10",
        pairs=((ids["elu"], ids["startup"]), (ids["startup"], ids["elu"]))), actor_id=None)
    session = settings.add_session(event, event.starts_on, time(14), time(17), actor_id=None)
    official.consent_directory = stand.consent_directory = True
    request = MeetingRequest(event_id=event.id, requester=stand, recipient=official, reason=MeetingReason.DISCOVER,
                             message="Nous aimerions vous présenter nos capteurs.",
                             expires_at=utcnow() + timedelta(days=7))
    db.session.add(request)
    db.session.commit()
    return {"recipient_id": stand.id, "meeting_id": request.id, "meeting_session_id": session.id}
