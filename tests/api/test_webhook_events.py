"""The other event types, made by the features' own services: a visit plan published (and published again), the
programme published, a contact scanned by a stand."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from app.api.models import WebhookDelivery
from app.api.webhooks import services
from app.api.webhooks.services import EndpointInput
from app.demonstrator.plans import editing, planning
from app.events.models import CategoryCode
from app.program import services as program
from tests.api.stand_world import confirmed, scan
from tests.demonstrator.conftest import world  # noqa: F401  (fixture)
from tests.demonstrator.test_realised import add_scan


def kinds_sent(receiver) -> list[str]:
    return [json.loads(r.body)["type"] for r in receiver.received]


def subscribe(event, receiver, events):
    services.create_endpoint(event, EndpointInput(url=receiver.url, events=events), actor_id=None)


def test_a_published_plan_is_sent_each_time_it_is_published(world, receiver, db):  # noqa: F811
    subscribe(world.event, receiver, ["plan.published"])
    plan = planning.request_plan(world.event, planning.PlanRequest(time_limit=2), actor_id=None)
    assert kinds_sent(receiver) == []  # computed, not published yet
    editing.publish(plan, actor_id=None)
    assert kinds_sent(receiver) == ["plan.published"]
    assert json.loads(receiver.received[0].body)["data"]["id"] == plan.id
    editing.publish(plan, actor_id=None, notify_people=False)  # published again (after edits, say)
    assert kinds_sent(receiver) == ["plan.published", "plan.published"]


def test_the_programme_published_and_a_scanned_contact_are_sent(world, receiver, make_person, db):  # noqa: F811
    subscribe(world.event, receiver, ["program.published", "lead.created"])
    person = make_person()
    publication = program.publish(world.event, actor_id=person.id)
    db.session.commit()
    assert kinds_sent(receiver) == ["program.published"]
    assert json.loads(receiver.received[0].body)["data"]["id"] == publication.id

    stand, visitor = world.startups[0], world.officials[0]
    add_scan(world.event, stand.id, visitor.id, datetime(2027, 6, 2, 9, 0))
    add_scan(world.event, stand.id, visitor.id, datetime(2027, 6, 2, 9, 5))  # the same contact again: no news
    assert kinds_sent(receiver) == ["program.published", "lead.created"]
    body = json.loads(receiver.received[1].body)
    assert (body["data"]["stand_id"], body["data"]["registration_id"]) == (stand.id, visitor.id)
    assert db.session.scalar(select(WebhookDelivery.status).where(WebhookDelivery.kind == "lead.created")) \
        == "delivered"


def test_each_contact_a_stand_scanner_creates_is_sent_once(event, make_registration, receiver, db):
    """The scanner writes its contacts with one bulk INSERT (no ORM object): they are sent all the same."""
    subscribe(event, receiver, ["lead.created"])
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    first, second = make_registration(event, CategoryCode.VISITEUR), make_registration(event, CategoryCode.ELU)
    confirmed(event, stand, first, second)
    db.session.commit()

    lead_id = scan(stand, first, "scan-1")
    assert kinds_sent(receiver) == ["lead.created"]
    data = json.loads(receiver.received[0].body)["data"]
    assert (data["id"], data["stand_id"], data["registration_id"]) == (lead_id, stand.id, first.id)

    scan(stand, first, "scan-2")  # the same person again: the same contact, no news
    scan(stand, second, "scan-3")
    assert kinds_sent(receiver) == ["lead.created", "lead.created"]
    assert json.loads(receiver.received[1].body)["data"]["registration_id"] == second.id
