"""The organiser's webhook pages: endpoints added, refused, changed, their secret rotated; deliveries shown and
sent again."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.api.models import WebhookDelivery, WebhookEndpoint
from app.api.webhooks import services
from app.audit.models import AuditEntry
from tests.conftest import login


@pytest.fixture
def organiser_client(client, event, make_organiser):
    login(client, make_organiser(event))
    return client


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def add(client, event, url, events=("registration.created",), **fields):
    return client.submit(f"/manage/e/{event.slug}/api/webhooks/new",
                         {"url": url, "description": fields.get("description", "CRM"), "events": list(events)})


def test_an_organiser_adds_an_endpoint_and_sees_its_secret(organiser_client, event, receiver, db):
    response = add(organiser_client, event, receiver.url)
    assert response.status_code == 302
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.url == receiver.url and endpoint.events == ["registration.created"]
    page = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert endpoint.secret in page and endpoint.secret.startswith("whsec_")
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "webhooks.create"))


@pytest.mark.parametrize("url, words", [
    ("http://example.org/hooks", "https://"),
    ("https://10.0.0.5/hooks", "10.0.0.5"),
    ("https://169.254.169.254/latest/meta-data", "169.254.169.254"),
    ("https://127.0.0.1:8443/hooks", "127.0.0.1"),
])
def test_a_private_or_plain_address_is_refused_on_the_url_field(organiser_client, event, db, app, monkeypatch,
                                                                 url, words):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_LOOPBACK", False)
    response = add(organiser_client, event, url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page.split('id="url-err"', 1)[1].split("</div>", 1)[0]  # the message tied to the URL field
    assert words in error
    assert count(db, WebhookEndpoint) == 0


def test_an_endpoint_needs_an_event_type(organiser_client, event, receiver, db):
    response = add(organiser_client, event, receiver.url, events=())
    assert response.status_code == 422 and 'id="events-err"' in response.get_data(as_text=True)
    response = add(organiser_client, event, receiver.url, events=("registration.deleted",))
    assert response.status_code == 422 and count(db, WebhookEndpoint) == 0


def test_rotating_the_secret_signs_with_the_new_one(organiser_client, event, receiver, db):
    add(organiser_client, event, receiver.url)
    endpoint = db.session.scalar(select(WebhookEndpoint))
    old = endpoint.secret
    response = organiser_client.submit(f"/manage/e/{event.slug}/api/webhooks/{endpoint.id}/rotate")
    assert response.status_code == 302
    db.session.expire_all()
    assert endpoint.secret != old and endpoint.secret in organiser_client.get(
        f"/manage/e/{event.slug}/api/webhooks/{endpoint.id}").get_data(as_text=True)


def test_deliveries_are_listed_shown_and_sent_again(organiser_client, event, receiver, make_registration, db):
    add(organiser_client, event, receiver.url)
    registration = make_registration(event)
    delivery = db.session.scalar(select(WebhookDelivery))

    listing = organiser_client.get(f"/manage/e/{event.slug}/api/webhooks/").get_data(as_text=True)
    assert "registration.created" in listing and "Livré" in listing  # the status in words
    detail = organiser_client.get(f"/manage/e/{event.slug}/api/webhooks/deliveries/{delivery.id}")
    assert delivery.uid in detail.get_data(as_text=True) and str(registration.id) in detail.get_data(as_text=True)

    response = organiser_client.submit(f"/manage/e/{event.slug}/api/webhooks/deliveries/{delivery.id}/resend")
    assert response.status_code == 302
    first, again = receiver.received
    assert json.loads(again.body)["id"] == json.loads(first.body)["id"] == delivery.uid


def test_switching_off_and_deleting(organiser_client, event, receiver, make_registration, db):
    add(organiser_client, event, receiver.url)
    endpoint = db.session.scalar(select(WebhookEndpoint))
    base = f"/manage/e/{event.slug}/api/webhooks/{endpoint.id}"
    organiser_client.submit(f"{base}/active", {"active": "0"})
    make_registration(event)
    assert receiver.received == [] and count(db, WebhookDelivery) == 0
    assert organiser_client.submit(f"{base}/delete").status_code == 302
    assert count(db, WebhookEndpoint) == 0


def test_another_editions_endpoint_is_a_404(organiser_client, event, make_event, receiver, db):
    other = make_event(slug="autre-2027")
    endpoint = services.create_endpoint(other, services.EndpointInput(url=receiver.url, events=["lead.created"]),
                                        actor_id=None)
    assert organiser_client.get(f"/manage/e/{event.slug}/api/webhooks/{endpoint.id}").status_code == 404
