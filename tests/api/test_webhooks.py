"""Webhooks: every change noted, sent signed after the commit, retried, re-sent with the same id, never lost
to a queue outage, never sent to a private address."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.models import WebhookDelivery
from app.api.webhooks import delivery as sending
from app.api.webhooks import services, tasks
from app.api.webhooks.addresses import AddressRefused, check_url
from app.api.webhooks.services import EndpointInput
from app.badging.models import CheckIn
from app.core.timefmt import utcnow

ALL = ["registration.created", "registration.updated", "checkin.created", "lead.created", "plan.published",
       "program.published"]


@pytest.fixture
def endpoint(event, receiver):
    return services.create_endpoint(event, EndpointInput(url=receiver.url, description="CRM", events=ALL),
                                    actor_id=None)


def deliveries(db) -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


@pytest.fixture
def queue_down(monkeypatch):
    def unreachable(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused")
    monkeypatch.setattr(tasks, "deliver_webhooks", unreachable)


def test_a_new_registration_reaches_the_receiver_signed(event, endpoint, receiver, make_registration, db):
    registration = make_registration(event)

    [request] = receiver.received
    [row] = deliveries(db)
    assert row.status == "delivered" and row.attempts == 1 and row.last_status_code == 200
    assert request.headers["webhook-id"] == row.uid
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == "Mediane-Webhooks/1"
    timestamp = request.headers["webhook-timestamp"]
    expected = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["webhook-signature"], f"v1={expected}")
    body = json.loads(request.body)
    assert body["id"] == row.uid and body["type"] == "registration.created" and body["event"] == event.slug
    assert body["data"]["id"] == registration.id and body["data"]["last_name"] == registration.person.last_name
    assert body["data"]["email"] is None  # contact details are not sent


def test_a_wrong_secret_does_not_verify(event, endpoint, receiver, make_registration):
    make_registration(event)
    [request] = receiver.received
    timestamp = request.headers["webhook-timestamp"]
    forged = hmac.new(b"whsec_other", f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
    assert request.headers["webhook-signature"] != f"v1={forged}"


def test_a_500_is_retried_later_with_the_same_id(event, endpoint, receiver, make_registration, db):
    receiver.answers = [500]
    make_registration(event)

    [row] = deliveries(db)
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, 500)
    assert row.last_response == "receiver is down"
    assert timedelta(seconds=30) < row.next_attempt_at - row.last_attempt_at <= timedelta(minutes=1)
    assert sending.deliver_due() == 0  # not due yet

    assert sending.deliver_due(now=utcnow() + timedelta(minutes=2)) == 1
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 2, 200)
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == row.uid


def test_it_fails_for_good_once_the_retry_window_has_passed(event, endpoint, receiver, make_registration, db, app):
    receiver.answers = [500] * 10
    make_registration(event)
    later = utcnow() + timedelta(hours=app.config["WEBHOOK_RETRY_HOURS"], minutes=1)
    sending.deliver_due(now=later)
    [row] = deliveries(db)
    assert (row.status, row.attempts) == ("failed", 2)


def test_a_delivery_sent_again_carries_the_same_id(event, endpoint, receiver, make_registration, db):
    make_registration(event)
    [row] = deliveries(db)
    services.resend(row, actor_id=None)

    first, again = receiver.received
    assert again.headers["webhook-id"] == first.headers["webhook-id"] == row.uid
    assert json.loads(again.body)["id"] == row.uid
    assert deliveries(db)[0].attempts == 2


def test_a_queue_outage_does_not_fail_the_change(event, endpoint, receiver, make_registration, db, queue_down):
    registration = make_registration(event)

    assert registration.id is not None and receiver.received == []
    [row] = deliveries(db)
    assert (row.status, row.attempts) == ("pending", 0)
    assert sending.deliver_due() == 1  # the periodic pass sends it
    assert len(receiver.received) == 1 and deliveries(db)[0].status == "delivered"


def test_a_crashed_workers_lease_runs_out(event, endpoint, receiver, make_registration, db, queue_down):
    make_registration(event)
    [row] = deliveries(db)
    row.leased_until = utcnow() + timedelta(minutes=5)  # a worker holds it
    db.session.commit()
    assert sending.deliver_due() == 0 and receiver.received == []

    row.leased_until = utcnow() - timedelta(seconds=1)  # ... and died: its lease ran out
    db.session.commit()
    assert sending.deliver_due() == 1 and len(receiver.received) == 1
    assert deliveries(db)[0].leased_until is None


def test_two_workers_never_take_the_same_delivery(event, endpoint, make_registration, db, queue_down):
    make_registration(event)
    [row] = deliveries(db)
    now = utcnow()
    with Session(db.engine) as one, Session(db.engine) as other:
        assert sending._claim(one, row.id, now) is not None
        assert sending._claim(other, row.id, now) is None


def test_only_real_changes_and_subscribed_events_are_sent(event, receiver, make_registration, db):
    services.create_endpoint(event, EndpointInput(url=receiver.url, events=["registration.updated"]), actor_id=None)
    registration = make_registration(event)
    assert deliveries(db) == []  # a creation, and the endpoint only listens to changes

    registration.job_title = registration.job_title  # the same value: nothing changed
    db.session.commit()
    assert deliveries(db) == []
    registration.job_title = "Directrice de l'innovation"
    db.session.commit()
    [row] = deliveries(db)
    assert row.kind == "registration.updated" and row.payload["data"]["job_title"] == "Directrice de l'innovation"


def test_a_new_e_mail_address_is_news_for_the_registration_and_for_a_sync(event, receiver, make_registration, db):
    services.create_endpoint(event, EndpointInput(url=receiver.url, events=["registration.updated"]), actor_id=None)
    registration = make_registration(event)
    before = registration.updated_at
    registration.person.email = "lea.martin@nevers.example"
    db.session.commit()
    [row] = deliveries(db)
    assert row.kind == "registration.updated" and row.payload["data"]["id"] == registration.id
    db.session.refresh(registration)
    assert registration.updated_at > before  # an `updated_since` sync reads it again
    registration.person.last_login_at = utcnow()  # not something a registration shows: no news
    db.session.commit()
    assert len(deliveries(db)) == 1


def test_a_rolled_back_change_sends_nothing(event, endpoint, receiver, make_registration, db):
    registration = make_registration(event)
    registration.job_title = "Maire adjoint"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert [row.kind for row in deliveries(db)] == ["registration.created"]


def test_a_check_in_is_sent(event, endpoint, receiver, make_registration, db):
    registration = make_registration(event)
    db.session.add(CheckIn(event_id=event.id, registration_id=registration.id, place="Hall A"))
    db.session.commit()
    row = deliveries(db)[-1]
    assert row.kind == "checkin.created" and row.payload["data"]["registration_id"] == registration.id
    assert json.loads(receiver.received[-1].body)["type"] == "checkin.created"


def test_a_switched_off_endpoint_gets_nothing(event, endpoint, receiver, make_registration, db):
    services.set_active(endpoint, False, actor_id=None)
    make_registration(event)
    assert deliveries(db) == [] and receiver.received == []


@pytest.mark.parametrize("url, code", [
    ("http://example.org/hooks", "url_not_https"),
    ("https://127.0.0.1/hooks", "url_private"),
    ("https://10.1.2.3/hooks", "url_private"),
    ("https://169.254.169.254/latest/meta-data", "url_private"),
    ("https://[::1]/hooks", "url_private"),
    ("https://[::ffff:192.168.1.1]/hooks", "url_private"),
    ("https://user:pw@8.8.8.8/hooks", "url_credentials"),
    ("ftp://8.8.8.8/hooks", "url_invalid"),
    # IPv6 addresses that carry a private IPv4 one, or that no public receiver has
    ("https://[64:ff9b::7f00:1]/hooks", "url_private"),  # NAT64 of 127.0.0.1
    ("https://[64:ff9b::a9fe:a9fe]/hooks", "url_private"),  # NAT64 of 169.254.169.254
    ("https://[64:ff9b:1::808:808]/hooks", "url_private"),  # the local NAT64 prefix
    ("https://[2002:7f00:1::1]/hooks", "url_private"),  # 6to4 of 127.0.0.1
    ("https://[2002:a00:1::1]/hooks", "url_private"),  # 6to4 of 10.0.0.1
    ("https://[::7f00:1]/hooks", "url_private"),  # IPv4-compatible 127.0.0.1
    ("https://[::808:808]/hooks", "url_private"),
    ("https://[::ffff:0:7f00:1]/hooks", "url_private"),  # IPv4-translated 127.0.0.1
    ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks", "url_private"),  # Teredo
])
def test_private_and_plain_addresses_are_refused(url, code):
    with pytest.raises(AddressRefused) as refused:
        check_url(url, allow_loopback=False)
    assert (refused.value.code, refused.value.field) == (code, "url")


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1"])
def test_a_public_address_is_accepted(address):
    url = f"https://[{address}]/hooks" if ":" in address else f"https://{address}/hooks"
    assert check_url(url, allow_loopback=False).address == address


def test_the_address_is_checked_again_when_sending(event, endpoint, receiver, make_registration, db, app,
                                                   monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_LOOPBACK", False)
    make_registration(event)
    [row] = deliveries(db)
    assert receiver.received == [] and row.status == "pending"
    assert row.last_error == "address refused: url_not_https"


def test_delivered_rows_are_purged_after_30_days(event, endpoint, receiver, make_registration, db):
    make_registration(event)
    make_registration(event)
    old, recent = deliveries(db)
    old.delivered_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert services.purge_delivered() == 1
    assert [row.id for row in deliveries(db)] == [recent.id]


def test_the_receiver_check_in_the_docs_accepts_a_real_delivery(event, endpoint, receiver, make_registration):
    source = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", source, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102  (our own documentation)
    make_registration(event)
    [request] = receiver.received
    headers = {"Webhook-Timestamp": request.headers["webhook-timestamp"],
               "Webhook-Signature": request.headers["webhook-signature"]}
    assert namespace["verified"](endpoint.secret, headers, request.body)
    assert not namespace["verified"](endpoint.secret, headers, request.body + b" ")
    assert not namespace["verified"]("whsec_not-the-secret", headers, request.body)
