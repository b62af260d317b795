"""The demo summit's webhook: the city's CRM receives new and changed registrations and check-ins, and has done
so for a few days (its deliveries, one of them retried after the CRM answered 502, are on the webhooks page).

The address was registered when the CRM was connected: it is stored as it was then (a `.example` host does not
resolve here, so the service's address check is not run again). New changes of the live demo are queued for it
and show, on the same page, as retried: the CRM of a demo cannot answer."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

from sqlalchemy import select

from app.api.models import WebhookDelivery, WebhookEndpoint, new_webhook_secret
from app.api.schemas.registrations import RegistrationOut
from app.core.timefmt import utcnow
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration

CRM_HOOK = "https://crm.nevers.example/webhooks/mediane"
EVENTS = ["registration.created", "registration.updated", "checkin.created"]
ANSWER = json.dumps({"received": True})


def _stamp(moment) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def load_webhook(event: Event, *, organiser_id: int) -> WebhookEndpoint:
    """The CRM's endpoint and the deliveries of its last days (the caller commits)."""
    now = utcnow()
    endpoint = WebhookEndpoint(event_id=event.id, url=CRM_HOOK, description="CRM de la Ville de Nevers",
                               events=EVENTS, secret=new_webhook_secret(), active=True, created_by_id=organiser_id,
                               created_at=now - timedelta(days=23, hours=5))
    db.session.add(endpoint)
    db.session.flush()
    latest = db.session.scalars(select(Registration).where(Registration.event_id == event.id)
                                .order_by(Registration.id.desc()).limit(8)).all()
    for n, registration in enumerate(reversed(latest)):
        sent = now - timedelta(days=3, hours=2) + timedelta(hours=9 * n)
        kind = "registration.updated" if n == 5 else "registration.created"
        uid = str(uuid.uuid4())
        payload = {"id": uid, "type": kind, "created_at": _stamp(sent), "event": event.slug,
                   "data": RegistrationOut.of(registration, contact=False).model_dump(mode="json")}
        retried = n == 5  # the CRM was being updated: 502 first, delivered 5 minutes later
        db.session.add(WebhookDelivery(
            endpoint_id=endpoint.id, event_id=event.id, uid=uid, kind=kind, payload=payload, status="delivered",
            attempts=2 if retried else 1, created_at=sent, next_attempt_at=sent + timedelta(minutes=5 if retried else 0),
            last_attempt_at=sent + timedelta(minutes=5 if retried else 0, seconds=1), last_status_code=200,
            last_response=ANSWER, delivered_at=sent + timedelta(minutes=5 if retried else 0, seconds=1)))
    return endpoint
