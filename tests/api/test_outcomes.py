"""Meeting outcomes through the API: read, recorded and changed on the organisers' side by the outcomes service,
its refusals a 422 naming the field, and a replayed POST answered once."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.events.models import CategoryCode
from app.outcomes.models import Outcome, OutcomeSide, OutcomeSource, OutcomeStatus
from tests.api.stand_world import confirmed, scan
from tests.api.test_contract import error_of


@pytest.fixture
def met(event, make_registration):
    """A startup's stand that scanned an official's badge (a meeting), and an official it never met."""
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    official = make_registration(event, CategoryCode.ELU, first_name="Anne", last_name="Maire")
    stranger = make_registration(event, CategoryCode.ELU, first_name="Paul", last_name="Inconnu")
    confirmed(event, stand, official, stranger)
    lead_id = scan(stand, official, "m-1")
    return stand, official, stranger, lead_id


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Outcome))


def test_an_outcome_recorded_once_and_read_back(api, db, event, make_token, make_organiser, met):
    stand, official, _, lead_id = met
    organiser = make_organiser(event)
    token = make_token(event, ["outcomes:read", "outcomes:write"], actor_id=organiser.id)
    body = {"stand_id": stand.id, "registration_id": official.id, "kind": "pilot", "status": "planned",
            "status_on": event.starts_on.isoformat(), "amount": 15000, "notes": "Deux écoles"}
    first = api.post(f"/events/{event.slug}/outcomes", token, json=body, key="outcome-1")
    assert first.status_code == 201, first.get_json()
    again = api.post(f"/events/{event.slug}/outcomes", token, json=body, key="outcome-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json() and _count(db) == 1
    stored = db.session.get(Outcome, first.get_json()["id"])
    assert (stored.recorded_side, stored.recorded_by_id, stored.source, stored.lead_id) == \
        (OutcomeSide.ORGANISER, organiser.id, OutcomeSource.SCAN, lead_id)
    assert (stored.startup.name, stored.amount, stored.currency) == ("Capteurs du Morvan", 15000, "EUR")
    listed = api.get(f"/events/{event.slug}/outcomes", token).get_json()
    assert [o["id"] for o in listed["data"]] == [stored.id] and listed["data"][0]["kind"] == "pilot"
    one = api.get(f"/events/{event.slug}/outcomes/{stored.id}", token).get_json()
    assert one["organisation_id"] == official.organisation_id and one["updated_at"].endswith("Z")
    changed = api.patch(f"/events/{event.slug}/outcomes/{stored.id}", token, json={"status": "in_progress"})
    assert changed.status_code == 200 and changed.get_json()["status"] == "in_progress"
    db.session.expire_all()
    assert (stored.status, stored.amount, stored.notes) == (OutcomeStatus.IN_PROGRESS, 15000, "Deux écoles")
    assert api.post(f"/events/{event.slug}/outcomes", make_token(event, ["outcomes:read"]), json=body).status_code == 403


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"kind": "none", "amount": 100}, "amount_without_outcome", "amount"),
    ({"currency": "BTC"}, "currency_invalid", "currency"),
    ({"status_on": "1990-01-01"}, "date_out_of_range", "status_on"),
    ({"notes": "x" * 4001}, "notes_too_long", "notes"),
    ({"registration_id": "stranger"}, "no_meeting", "registration_id"),
    ({"stand_id": "official"}, "not_a_stand", "stand_id"),
    ({"kind": "lunch"}, "invalid_body", "kind"),
])
def test_refusals_name_the_field_and_store_nothing(api, db, event, make_token, met, change, code, field):
    stand, official, stranger, _ = met
    people = {"stranger": stranger.id, "official": official.id}
    body = {"stand_id": stand.id, "registration_id": official.id, "kind": "demo",
            "status_on": event.starts_on.isoformat()}
    body.update({k: people.get(v, v) if isinstance(v, str) else v for k, v in change.items()})
    response = api.post(f"/events/{event.slug}/outcomes", make_token(event), json=body, key="refused-1")
    error = error_of(response)
    assert (response.status_code, error["code"], error["field"]) == (422, code, field)
    assert error["message"] and _count(db) == 0


def test_a_refused_change_changes_nothing_and_the_same_meeting_is_recorded_once(api, db, event, make_token,
                                                                               make_event, met):
    stand, official, _, _ = met
    token = make_token(event)
    body = {"stand_id": stand.id, "registration_id": official.id, "kind": "demo",
            "status_on": event.starts_on.isoformat()}
    outcome_id = api.post(f"/events/{event.slug}/outcomes", token, json=body).get_json()["id"]
    twice = api.post(f"/events/{event.slug}/outcomes", token, json=body)
    assert twice.status_code == 422 and error_of(twice)["code"] == "already_recorded" and _count(db) == 1
    refused = api.patch(f"/events/{event.slug}/outcomes/{outcome_id}", token, json={"kind": "none", "amount": 5})
    assert refused.status_code == 422 and error_of(refused)["field"] == "amount"
    null = api.patch(f"/events/{event.slug}/outcomes/{outcome_id}", token, json={"status": None})
    assert null.status_code == 422 and error_of(null)["field"] == "status"
    db.session.expire_all()
    stored = db.session.get(Outcome, outcome_id)
    assert (stored.kind.value, stored.amount, stored.status) == ("demo", None, OutcomeStatus.PLANNED)
    other = make_event(slug="sommet-2028", name="Sommet 2028")
    elsewhere = api.patch(f"/events/{other.slug}/outcomes/{outcome_id}", make_token(other), json={"status": "done"})
    assert elsewhere.status_code == 404
    assert api.get(f"/events/{event.slug}/outcomes/99999999", token).status_code == 404
