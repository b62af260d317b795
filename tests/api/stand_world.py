"""Stands that scanned people, for the leads and outcomes of the API: the scan goes through the scanner's own
service, as a paired phone sends it."""
from __future__ import annotations

from app.badging import services as badging
from app.core.timefmt import utcnow
from app.leads import devices as lead_devices
from app.leads import recording
from app.registrations.models import Registration
from app.registrations.services import approve


def confirmed(event, *registrations: Registration) -> None:
    approve(event, [r.id for r in registrations], actor_id=None)


def scan(stand: Registration, person: Registration, client_id: str, *, notes: str = "") -> int:
    """`stand` scans `person`'s badge; the lead's id."""
    device, _ = lead_devices.pair(lead_devices.start_pairing(stand, "Téléphone", actor_id=None).code)
    results = recording.record_scans(device, [{"client_id": client_id, "scanned_at": utcnow().isoformat() + "Z",
                                               "code": badging.current_token(person).token, "notes": notes}])
    assert results[0].status == "stored", results[0]
    return results[0].contact["lead_id"]
