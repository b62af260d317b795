"""The organiser's use cases on webhooks, one commit each, each with its audit row: endpoints (created with a
generated secret, changed, switched off and on, deleted, their secret rotated), deliveries listed and sent again
(same uid), and the delivered ones purged after 30 days."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, func, select

from app.api.models import WebhookDelivery, WebhookEndpoint, new_webhook_secret
from app.api.webhooks.addresses import check_url
from app.api.webhooks.capture import wake_after_commit
from app.api.webhooks.kinds import EVENT_TYPES
from app.audit import services as audit
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db

KEPT_DAYS = 30
PER_PAGE = 50


class WebhookError(DomainError):
    """A webhook change refused: `field` names the input at fault."""


@dataclass
class EndpointInput:
    url: str
    description: str = ""
    events: list[str] = field(default_factory=list)


def _checked(data: EndpointInput) -> EndpointInput:
    url, description = (data.url or "").strip(), (data.description or "").strip()
    if len(url) > 500:
        raise WebhookError("url_too_long", "url", max=500)
    check_url(url, allow_loopback=current_app.config["WEBHOOK_ALLOW_LOOPBACK"])
    if len(description) > 120:
        raise WebhookError("description_too_long", "description", max=120)
    events = [kind for kind in EVENT_TYPES if kind in set(data.events or [])]
    if not events or len(events) != len(set(data.events)):
        raise WebhookError("events_invalid", "events")
    return EndpointInput(url=url, description=description, events=events)


def _host(url: str) -> str:
    """What an audit row keeps of an endpoint's address: its host (a path or a query often carries a secret)."""
    return urlsplit(url).hostname or ""


@atomic()
def create_endpoint(event: Event, data: EndpointInput, *, actor_id: int | None) -> WebhookEndpoint:
    data = _checked(data)
    endpoint = WebhookEndpoint(event_id=event.id, url=data.url, description=data.description, events=data.events,
                               secret=new_webhook_secret(), active=True, created_by_id=actor_id)
    db.session.add(endpoint)
    db.session.flush()
    audit.record("webhooks.create", actor_id=actor_id, event_id=event.id, obj=endpoint,
                 details={"host": _host(endpoint.url), "events": endpoint.events})
    return endpoint


@atomic()
def update_endpoint(endpoint: WebhookEndpoint, data: EndpointInput, *, actor_id: int | None) -> WebhookEndpoint:
    data = _checked(data)
    endpoint.url, endpoint.description, endpoint.events = data.url, data.description, data.events
    audit.record("webhooks.update", actor_id=actor_id, event_id=endpoint.event_id, obj=endpoint,
                 details={"host": _host(endpoint.url), "events": endpoint.events})
    return endpoint


@atomic()
def set_active(endpoint: WebhookEndpoint, active: bool, *, actor_id: int | None) -> None:
    """Switch an endpoint off (nothing more is written or sent to it) or on again."""
    endpoint.active = active
    audit.record("webhooks.enable" if active else "webhooks.disable", actor_id=actor_id,
                 event_id=endpoint.event_id, obj=endpoint)
    if active:
        wake_after_commit(db.session)  # what waited while it was off


@atomic()
def delete_endpoint(endpoint: WebhookEndpoint, *, actor_id: int | None) -> None:
    audit.record("webhooks.delete", actor_id=actor_id, event_id=endpoint.event_id, obj=endpoint,
                 details={"host": _host(endpoint.url)})
    db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    db.session.delete(endpoint)


@atomic()
def rotate_secret(endpoint: WebhookEndpoint, *, actor_id: int | None) -> str:
    """A new secret, in use from the next attempt on; the old one stops working at once."""
    endpoint.secret = new_webhook_secret()
    audit.record("webhooks.rotate_secret", actor_id=actor_id, event_id=endpoint.event_id, obj=endpoint)
    return endpoint.secret


@atomic()
def resend(delivery: WebhookDelivery, *, actor_id: int | None) -> None:
    """Send a delivery again now, with the same uid (the receiver can tell it is the same event)."""
    if not delivery.endpoint.active:
        raise WebhookError("endpoint_inactive", None)
    delivery.status = "pending"
    delivery.next_attempt_at = utcnow()
    delivery.leased_until = None
    delivery.delivered_at = None
    audit.record("webhooks.resend", actor_id=actor_id, event_id=delivery.event_id, obj=delivery,
                 details={"uid": delivery.uid})
    wake_after_commit(db.session)


def endpoints(event: Event) -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.event_id == event.id)
                                   .order_by(WebhookEndpoint.id)))


def endpoint_of(event: Event, endpoint_id: int) -> WebhookEndpoint | None:
    return db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                                           WebhookEndpoint.event_id == event.id))


def delivery_of(event: Event, delivery_id: int) -> WebhookDelivery | None:
    return db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id,
                                                           WebhookDelivery.event_id == event.id))


def deliveries(event: Event, page: int = 1, per_page: int = PER_PAGE) -> tuple[list[WebhookDelivery], int]:
    """One page of the edition's deliveries, newest first, and how many there are."""
    where = WebhookDelivery.event_id == event.id
    total = db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(where)) or 0
    page = max(1, page)
    rows = db.session.scalars(select(WebhookDelivery).where(where)
                              .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


@atomic()
def purge_delivered(now: datetime | None = None) -> int:
    """Delete the deliveries delivered more than 30 days ago (every edition); how many."""
    limit = (now or utcnow()) - timedelta(days=KEPT_DAYS)
    count = db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.status == "delivered",
                                                             WebhookDelivery.delivered_at < limit)).rowcount
    if count:
        audit.record("webhooks.purge", actor_id=None, details={"deleted": count, "before": limit.isoformat()})
    return count
