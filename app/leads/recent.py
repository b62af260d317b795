"""A device's latest scans, as the scanner lists them (issue 16), and what the phone may keep of them (issue 19).

The scanner shows them so that the exhibitor can reopen one and add or change its notes and interest; what
it shows of each person is read now, with the consent of now (S9). The badge code is not sent back: the
scanner reopens a scan by its client id, which the server already knows.

What a phone keeps in its storage is only what its list shows: the scan's id and time, the person's name and
organisation, the stand's own notes, interest and tags. Never an e-mail or a phone number, whoever the person
(a lost phone holds no contact details); the scanner asks for them (`scan_detail`) when a scan is reopened,
and shows them only if the person agrees to share them at that moment. Each time the scanner syncs, it sends
the ids it keeps (`kept`): the server answers what each of them now shows, and which ones to forget (a scan
the stand no longer has: purged, or its person erased).
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.leads.devices import DeviceRef
from app.leads.errors import LeadError
from app.leads.models import Lead, Scan
from app.leads.recording import CLIENT_ID
from app.leads.services import PersonFacts, contact_view, iso_utc
from app.registrations.models import Registration

DEFAULT_RECENT = 30
MAX_RECENT = 100
#: Ids a phone may send at once to ask which of its kept scans it may go on keeping (it keeps at most 30).
MAX_KEPT = 100


def _with_person(query):
    return query.options(joinedload(Scan.lead).joinedload(Lead.registration).joinedload(Registration.person),
                         joinedload(Scan.lead).joinedload(Lead.registration).joinedload(Registration.organisation))


def _device_scans(device: DeviceRef):
    return _with_person(select(Scan)).where(Scan.device_id == device.id, Scan.stand_id == device.stand_id)


def _latest(device: DeviceRef, limit: int) -> list[Scan]:
    return list(db.session.scalars(_device_scans(device).order_by(Scan.scanned_at.desc(), Scan.id.desc())
                                   .limit(max(1, min(limit, MAX_RECENT)))))


def list_entry(scan: Scan) -> dict:
    """A scan as the scanner's list shows it, and all a phone may keep of it: no e-mail, no phone."""
    facts = PersonFacts.of(scan.lead.registration)
    return {"client_id": scan.client_id, "scanned_at": iso_utc(scan.scanned_at), "status": "stored",
            "name": facts.name, "organisation": facts.organisation,
            "notes": scan.notes, "rating": scan.rating, "tags": list(scan.tags or [])}


def recent_scans(device: DeviceRef, *, limit: int = DEFAULT_RECENT) -> list[dict]:
    """The device's latest scans, newest first, as the list shows them."""
    return [list_entry(scan) for scan in _latest(device, limit)]


def parse_kept(body: object) -> list[str]:
    """The ids of `{"client_ids": [...]}`, or LeadError naming what is wrong (R9)."""
    ids = body.get("client_ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or len(ids) > MAX_KEPT or not all(
            isinstance(i, str) and CLIENT_ID.fullmatch(i) for i in ids):
        raise LeadError("client_ids_invalid", "client_ids", max=MAX_KEPT)
    return list(dict.fromkeys(ids))


def kept(device: DeviceRef, client_ids: Sequence[str], *, limit: int = DEFAULT_RECENT) -> dict:
    """What the phone may keep: `scans`, the device's latest ones and those of `client_ids` the stand still
    has, newest first, each as the list shows it now; `drop`, the ids of `client_ids` to forget."""
    found = {scan.client_id: scan for scan in _latest(device, limit)}
    wanted = [i for i in client_ids if i not in found]
    if wanted:
        found.update((scan.client_id, scan) for scan in db.session.scalars(
            _device_scans(device).where(Scan.client_id.in_(wanted))))
    scans = sorted(found.values(), key=lambda s: (s.scanned_at, s.id), reverse=True)
    return {"scans": [list_entry(scan) for scan in scans],
            "drop": [client_id for client_id in client_ids if client_id not in found]}


def scan_detail(device: DeviceRef, client_id: str) -> dict:
    """One scan of this device reopened on the phone: its person's contact as consent allows now (S9), to show
    and not to keep. LeadError('scan_unknown') for a scan this device does not have."""
    scan = db.session.scalar(_device_scans(device).where(Scan.client_id == client_id)) \
        if CLIENT_ID.fullmatch(client_id) else None
    if scan is None:
        raise LeadError("scan_unknown")
    return {**list_entry(scan), "contact": contact_view(scan.lead)}
