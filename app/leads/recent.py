"""A device's latest scans, as the scanner lists them after a reload (issue 16): kept on the server, by device.

The scanner shows them so that the exhibitor can reopen one and add or change its notes and interest; what
it shows of each person is read now, with the consent of now (S9). The badge code is not sent back: the
scanner reopens a scan by its client id, which the server already knows.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.leads.devices import DeviceRef
from app.leads.models import Lead, Scan
from app.leads.services import contact_view, iso_utc
from app.registrations.models import Registration

DEFAULT_RECENT = 30
MAX_RECENT = 100


def recent_scans(device: DeviceRef, *, limit: int = DEFAULT_RECENT) -> list[dict]:
    """The device's latest scans, newest first: each with its own notes, interest and tags, and the contact."""
    scans = db.session.scalars(
        select(Scan).options(joinedload(Scan.lead).joinedload(Lead.registration).joinedload(Registration.person),
                             joinedload(Scan.lead).joinedload(Lead.registration).joinedload(Registration.organisation))
        .where(Scan.device_id == device.id, Scan.stand_id == device.stand_id)
        .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(max(1, min(limit, MAX_RECENT)))).all()
    return [{"client_id": scan.client_id, "scanned_at": iso_utc(scan.scanned_at), "status": "stored",
             "notes": scan.notes, "rating": scan.rating, "tags": list(scan.tags or []),
             "contact": contact_view(scan.lead)} for scan in scans]
