"""Delegations through the API: members in protocol order, their coordinator, synced by their last change."""
from __future__ import annotations

from datetime import timedelta

from app.core.timefmt import utcnow
from app.events.models import CategoryCode
from app.extensions import db as database
from app.registrations.delegations import create_delegation, set_members
from app.registrations.models import Delegation
from tests.api.test_contract import error_of


def delegation_of(event, name, members, coordinator=None):
    delegation = create_delegation(event, name, actor_id=None)
    set_members(event, delegation, [m.id for m in members], coordinator.id if coordinator else None, actor_id=None)
    database.session.commit()
    return delegation


def test_a_delegation_lists_its_members_in_protocol_order(api, event, make_token, make_registration):
    mayor, deputy, councillor = (make_registration(event, CategoryCode.ELU) for _ in range(3))
    delegation = delegation_of(event, "Délégation de Nevers", [deputy, mayor, councillor], coordinator=councillor)
    token = make_token(event, ["registrations:read"])
    one = api.get(f"/events/{event.slug}/delegations/{delegation.id}", token).get_json()
    assert one["name"] == "Délégation de Nevers" and one["coordinator_registration_id"] == councillor.id
    assert one["member_registration_ids"] == [deputy.id, mayor.id, councillor.id]
    page = api.get(f"/events/{event.slug}/delegations", token).get_json()
    assert page["data"] == [one] and page["next_cursor"] is None


def test_a_sync_reads_a_delegation_again_when_its_members_change(api, event, make_token, make_registration):
    first, second = make_registration(event, CategoryCode.ELU), make_registration(event, CategoryCode.ELU)
    quiet = delegation_of(event, "Bourges", [])
    changed = delegation_of(event, "Nevers", [first, second])
    an_hour_ago = utcnow() - timedelta(hours=1)
    for delegation in (quiet, changed):
        database.session.get(Delegation, delegation.id).updated_at = an_hour_ago
    database.session.commit()
    set_members(event, database.session.get(Delegation, changed.id), [second.id, first.id], None, actor_id=None)
    database.session.commit()
    since = (utcnow() - timedelta(minutes=1)).isoformat() + "Z"
    page = api.get(f"/events/{event.slug}/delegations?updated_since={since}", make_token(event)).get_json()
    assert [d["name"] for d in page["data"]] == ["Nevers"]
    assert page["data"][0]["member_registration_ids"] == [second.id, first.id]


def test_delegations_pages_follow_each_other(api, event, make_token):
    made = [delegation_of(event, f"Délégation {n}", []) for n in range(5)]
    token = make_token(event)
    seen, cursor = [], None
    while True:
        page = api.get(f"/events/{event.slug}/delegations?limit=2" + (f"&cursor={cursor}" if cursor else ""),
                       token).get_json()
        seen += [d["id"] for d in page["data"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert sorted(seen) == [d.id for d in made]


def test_another_editions_delegation_and_a_token_without_the_scope_are_refused(api, event, make_event, make_token):
    theirs = delegation_of(make_event(slug="sommet-2028", name="Sommet 2028"), "Ailleurs", [])
    ours = delegation_of(event, "Nevers", [])
    response = api.get(f"/events/{event.slug}/delegations/{theirs.id}", make_token(event))
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    response = api.get(f"/events/{event.slug}/delegations/{ours.id}", make_token(event, ["checkins:read"]))
    assert response.status_code == 403 and error_of(response)["code"] == "missing_scope"
