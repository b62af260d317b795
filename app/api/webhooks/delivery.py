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
A 2xx answer within WEBHOOK_TIMEOUT_SECONDS is a delivery: the time allowed for the whole attempt (connecting,
sending, reading the answer, of which at most 8 kB is read), so that a receiver answering a byte at a time is cut
off. Anything else (another status, a redirect, which is never followed, a timeout, a refused address) is retried
after 1, 5 and 30 minutes, 2 hours, then every 6 hours, until WEBHOOK_RETRY_HOURS after the event: the delivery
is then `failed`. A worker takes a delivery by setting
its lease (`leased_until`) in one UPDATE that only succeeds when nobody holds it: two workers never send the same
delivery at once, and a worker that dies mid-attempt leaves a lease that runs out, after which the delivery is
taken again. The HTTP call happens outside any transaction, and its result is recorded only while the worker still
holds the lease it took (the UPDATE names it): a worker that outlived its lease records nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import io
import json
import logging
import socket
import ssl
import time
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
RESPONSE_READ = 4 * RESPONSE_KEPT  # the bytes read of an answer at most (enough for its first RESPONSE_KEPT characters)
BATCH = 100


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Webhook-Signature` header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def lease_length() -> timedelta:
    """How long a worker holds a delivery: well over an attempt's whole time (WEBHOOK_TIMEOUT_SECONDS)."""
    return timedelta(seconds=2 * current_app.config["WEBHOOK_TIMEOUT_SECONDS"] + 60)


class _Deadline:
    """The end of an attempt: every read and write waits only for what is left of it (a socket's own timeout is
    per read, which a receiver answering a byte at a time never reaches)."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        return left


class _DeadlineReader(io.RawIOBase):
    def __init__(self, owner: _DeadlineSocket) -> None:
        super().__init__()
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._owner.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._owner.file_closed()
        super().close()


class _DeadlineSocket:
    """A connected socket (plain or TLS) as http.client uses it (sendall, makefile, close), held to the deadline.
    Like a socket, it stays open while the file made from it (the response's) is open."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock, self._deadline = sock, deadline
        self._files, self._closing = 0, False

    def sendall(self, data) -> None:
        self._sock.settimeout(self._deadline.left())
        self._sock.sendall(data)

    def recv_into(self, buffer) -> int:
        self._sock.settimeout(self._deadline.left())
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:  # noqa: ARG002
        self._files += 1
        return io.BufferedReader(_DeadlineReader(self))

    def file_closed(self) -> None:
        self._files -= 1
        self._close_when_unused()

    def close(self) -> None:
        self._closing = True
        self._close_when_unused()

    def _close_when_unused(self) -> None:
        if self._closing and self._files <= 0:
            self._sock.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name resolves to by now."""

    def __init__(self, target: Target, deadline: _Deadline) -> None:
        super().__init__(target.parts.hostname, target.port, timeout=deadline.left())
        self.address, self.deadline = target.address, deadline

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.deadline.left())
        self.sock = _DeadlineSocket(sock, self.deadline)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, deadline: _Deadline) -> None:
        super().__init__(target.parts.hostname, target.port, timeout=deadline.left(),
                         context=ssl.create_default_context())
        self.address, self.deadline = target.address, deadline

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.deadline.left())
        sock.settimeout(self.deadline.left())  # the TLS handshake, as a whole
        self.sock = _DeadlineSocket(self._context.wrap_socket(sock, server_hostname=self.host), self.deadline)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float,
         allow_loopback: bool) -> tuple[int, str]:
    """POST `body` to `url` (checked again here) within `timeout` seconds in all; the status and the start of the
    answer. Raises AddressRefused or OSError (TimeoutError, http.client's errors included)."""
    deadline = _Deadline(timeout)
    target = check_url(url, allow_loopback=allow_loopback)
    kind = _PinnedHTTPSConnection if target.parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, deadline)
    path = target.parts.path or "/"
    if target.parts.query:
        path += "?" + target.parts.query
    response = None
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = b""
        while len(answer) < RESPONSE_READ and (chunk := response.read(RESPONSE_READ - len(answer))):
            answer += chunk
        return response.status, answer.decode("utf-8", "replace")[:RESPONSE_KEPT]
    finally:
        if response is not None:
            response.close()
        connection.close()


def _claim(session: Session, delivery_id: int, now: datetime) -> datetime | None:
    """Take the delivery for one attempt: the end of the lease this worker holds now, or None (another has it)."""
    lease = now + lease_length()
    taken = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
               or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now))
        .values(leased_until=lease)
        .execution_options(synchronize_session=False)).rowcount
    session.commit()
    return lease if taken == 1 else None


def _attempt(session: Session, delivery: WebhookDelivery, now: datetime, lease: datetime) -> bool:
    """One attempt, recorded if this worker still holds `lease` (False: it does not, nothing was recorded)."""
    endpoint, delivery_id = delivery.endpoint, delivery.id
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = int(now.timestamp()) if now.tzinfo else int((now - datetime(1970, 1, 1)).total_seconds())
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Webhook-Id": delivery.uid,
               "Webhook-Timestamp": str(timestamp), "Webhook-Signature": signature(endpoint.secret, timestamp, body)}
    url, attempts, created_at = endpoint.url, delivery.attempts, delivery.created_at
    session.commit()  # no transaction stays open during the call
    status, text, error = None, "", ""
    try:
        status, text = post(url, body, headers, timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
                            allow_loopback=current_app.config["WEBHOOK_ALLOW_LOOPBACK"])
    except AddressRefused as refusal:
        error = f"address refused: {refusal.code}"
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
    recorded = session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id == delivery_id, WebhookDelivery.leased_until == lease)
        .values(attempt_result(attempts, created_at, now, status=status, text=text, error=error))
        .execution_options(synchronize_session=False)).rowcount
    session.commit()
    if not recorded:
        log.warning("webhooks: delivery %s was no longer leased to this worker; its attempt is not recorded",
                    delivery_id)
    return recorded == 1


def attempt_result(attempts: int, created_at: datetime, now: datetime, *, status: int | None, text: str,
                   error: str) -> dict:
    """What came of a delivery's attempt (its `attempts`-th before this one): delivered, to retry after a while,
    or failed for good; the columns to write."""
    attempts += 1
    values = {"attempts": attempts, "last_attempt_at": now, "last_status_code": status,
              "last_response": text[:RESPONSE_KEPT], "leased_until": None,
              "last_error": (error or ("" if status is not None and 200 <= status < 300 else f"HTTP {status}"))[:300]}
    if status is not None and 200 <= status < 300:
        return {**values, "status": "delivered", "delivered_at": now}
    deadline = created_at + timedelta(hours=current_app.config["WEBHOOK_RETRY_HOURS"])
    if now >= deadline:
        return {**values, "status": "failed"}
    return {**values, "next_attempt_at": min(now + backoff(attempts), deadline)}


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
            lease = _claim(session, delivery_id, now)
            if lease is None:
                continue  # another worker has it
            try:
                delivery = session.get(WebhookDelivery, delivery_id)
                if delivery is None or delivery.status != "pending":
                    continue
                _attempt(session, delivery, now, lease)
                attempted += 1
            except SQLAlchemyError:  # its endpoint deleted meanwhile, say: the others are still sent
                session.rollback()
                log.exception("webhooks: delivery %s could not be recorded", delivery_id)
    return attempted
