"""Sending the deliveries: signed POSTs, retried with backoff, one worker at a time per delivery.

Signature (what a receiver checks)
----------------------------------
Each attempt is a `POST` of the JSON payload (UTF-8) with these headers:

    Content-Type: application/json
    User-Agent: Mediane-Webhooks/1
    Webhook-Id: <the delivery's uid; the same on every attempt and on a re-send: use it to drop duplicates>
    Webhook-Timestamp: <the attempt's time, in Unix seconds>
    Webhook-Signature: v1=<hex HMAC-SHA256 of f"{timestamp}.{body}" keyed with the endpoint's secret>

`body` is the request body exactly as received (bytes), and the key is the whole secret shown in the back
office (`whsec_...`, as UTF-8). A receiver recomputes the HMAC, compares it in constant time, and refuses a
timestamp more than five minutes away from its clock (a replay). docs/webhooks.md has a receiver in Python.

Delivery
--------
A 2xx answer within WEBHOOK_TIMEOUT_SECONDS is a delivery; anything else (another status, a redirect, which is
never followed, a timeout, a refused address) is retried after 1, 5 and 30 minutes, 2 hours, then every 6 hours,
until WEBHOOK_RETRY_HOURS after the event: the delivery is then `failed`. A worker takes a delivery by setting
its lease (`leased_until`) in one UPDATE that only succeeds when nobody holds it: two workers never send the same
delivery at once, and a worker that dies mid-attempt leaves a lease that runs out, after which the delivery is
taken again. The HTTP call happens outside any transaction.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import ssl
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.api.models import WebhookDelivery, WebhookEndpoint
from app.api.webhooks.addresses import AddressRefused, Target, check_url
from app.core.timefmt import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

USER_AGENT = "Mediane-Webhooks/1"
BACKOFF_MINUTES = (1, 5, 30, 120, 360)
RESPONSE_KEPT = 2000
BATCH = 100


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Webhook-Signature` header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def lease_length() -> timedelta:
    return timedelta(seconds=2 * current_app.config["WEBHOOK_TIMEOUT_SECONDS"] + 60)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name resolves to by now."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.parts.hostname, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.parts.hostname, target.port, timeout=timeout, context=ssl.create_default_context())
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float,
         allow_loopback: bool) -> tuple[int, str]:
    """POST `body` to `url` (checked again here); the status and the start of the answer. Raises AddressRefused
    or OSError (http.client's errors included)."""
    target = check_url(url, allow_loopback=allow_loopback)
    kind = _PinnedHTTPSConnection if target.parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout)
    path = target.parts.path or "/"
    if target.parts.query:
        path += "?" + target.parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(RESPONSE_KEPT * 4).decode("utf-8", "replace")[:RESPONSE_KEPT]
        return response.status, text
    finally:
        connection.close()


def _claim(session: Session, delivery_id: int, now: datetime) -> bool:
    """Take the delivery for one attempt: True when this worker holds its lease now."""
    taken = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
               or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now))
        .values(leased_until=now + lease_length())
        .execution_options(synchronize_session=False)).rowcount
    session.commit()
    return taken == 1


def _attempt(session: Session, delivery: WebhookDelivery, now: datetime) -> None:
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = int(now.timestamp()) if now.tzinfo else int((now - datetime(1970, 1, 1)).total_seconds())
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Webhook-Id": delivery.uid,
               "Webhook-Timestamp": str(timestamp), "Webhook-Signature": signature(endpoint.secret, timestamp, body)}
    status, text, error = None, "", ""
    try:
        status, text = post(endpoint.url, body, headers, timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
                            allow_loopback=current_app.config["WEBHOOK_ALLOW_LOOPBACK"])
    except AddressRefused as refusal:
        error = f"address refused: {refusal.code}"
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
    record_attempt(delivery, now, status=status, text=text, error=error)
    session.commit()


def record_attempt(delivery: WebhookDelivery, now: datetime, *, status: int | None, text: str, error: str) -> None:
    """What came of an attempt: delivered, to retry after a while, or failed for good."""
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status
    delivery.last_response = text[:RESPONSE_KEPT]
    delivery.last_error = (error or ("" if status is not None and 200 <= status < 300 else f"HTTP {status}"))[:300]
    delivery.leased_until = None
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at = "delivered", now
        return
    deadline = delivery.created_at + timedelta(hours=current_app.config["WEBHOOK_RETRY_HOURS"])
    if now >= deadline:
        delivery.status = "failed"
        return
    delivery.next_attempt_at = min(now + backoff(delivery.attempts), deadline)


def deliver_due(now: datetime | None = None, limit: int = BATCH) -> int:
    """Attempt every pending delivery that is due (up to `limit`); how many were attempted.

    Runs in a session of its own, apart from the caller's (it is called right after a commit in the tests,
    where the queue runs tasks at once)."""
    now = now or utcnow()
    attempted = 0
    with Session(db.engine, expire_on_commit=True) as session:
        due = session.scalars(
            select(WebhookDelivery.id).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
                   or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now),
                   WebhookEndpoint.active.is_(True))
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)).all()
        session.commit()
        for delivery_id in due:
            if not _claim(session, delivery_id, now):
                continue  # another worker has it
            try:
                delivery = session.get(WebhookDelivery, delivery_id)
                if delivery is None or delivery.status != "pending":
                    continue
                _attempt(session, delivery, now)
                attempted += 1
            except SQLAlchemyError:  # its endpoint deleted meanwhile, say: the others are still sent
                session.rollback()
                log.exception("webhooks: delivery %s could not be recorded", delivery_id)
    return attempted
