"""Changes a sync by updated_since must read again, however they were made: two people merged (a Core UPDATE),
a registration's themes changed alone (a link table), a member added to a delegation by an import."""
from __future__ import annotations

import json
from datetime import timedelta

from app.api.webhooks import services as hooks
from app.api.webhooks.services import EndpointInput
from app.core.timefmt import utcnow
from app.events.models import CategoryCode
from app.extensions import db as database
from app.people.merging import repoint
from app.people.models import Person
from app.registrations.delegations import create_delegation, set_members
from app.registrations.imports.services import run_import
from app.registrations.models import Delegation, Registration
from app.registrations.services import update_registration
from tests.registrations.imports.import_files import GOOD_ROWS, csv_bytes


def since(minutes: int = 1) -> str:
    return (utcnow() - timedelta(minutes=minutes)).isoformat() + "Z"


def age(*rows) -> None:
    """The rows last changed an hour ago."""
    for row in rows:
        row.updated_at = utcnow() - timedelta(hours=1)
    database.session.commit()


def synced_ids(api, event, token, resource="registrations") -> list[int]:
    page = api.get(f"/events/{event.slug}/{resource}?updated_since={since()}", token).get_json()
    return [row["id"] for row in page["data"]]


def test_a_registration_whose_person_is_merged_into_another_is_read_again(api, event, make_event, make_token,
                                                                          make_registration):
    earlier = make_event(slug="sommet-2026", name="Sommet 2026")
    kept = make_registration(earlier, CategoryCode.ELU, email="m.dupont@ville.fr", first_name="Marie")
    dropped = make_registration(event, CategoryCode.ELU, email="maire@ville.fr", first_name="Marie")
    quiet = make_registration(event, CategoryCode.VISITEUR)
    age(kept, dropped, quiet)
    token = make_token(event, ["registrations:read"])
    assert synced_ids(api, event, token) == []

    repoint(database.session.get(Person, dropped.person_id), database.session.get(Person, kept.person_id))
    database.session.commit()
    assert synced_ids(api, event, token) == [dropped.id]
    assert database.session.get(Registration, dropped.id).person_id == kept.person_id


def kinds_sent(receiver) -> list[tuple[str, int]]:
    return [(body["type"], body["data"]["id"]) for body in (json.loads(r.body) for r in receiver.received)]


def test_a_registrations_themes_changed_alone_through_the_api_are_news(api, event, make_token, make_registration,
                                                                        receiver):
    registration, quiet = make_registration(event, CategoryCode.VISITEUR), make_registration(event, CategoryCode.ELU)
    age(registration, quiet)
    hooks.create_endpoint(event, EndpointInput(url=receiver.url, events=["registration.updated"]), actor_id=None)
    database.session.commit()
    token = make_token(event)
    code = event.themes[0].code

    response = api.patch(f"/events/{event.slug}/registrations/{registration.id}", token, json={"themes": [code]})
    assert response.status_code == 200 and response.get_json()["themes"] == [code]
    assert synced_ids(api, event, token) == [registration.id]
    assert kinds_sent(receiver) == [("registration.updated", registration.id)]


def test_a_registrations_themes_changed_by_the_back_office_are_news(api, event, make_token, make_registration,
                                                                     receiver):
    registration = make_registration(event, CategoryCode.VISITEUR)
    age(registration)
    hooks.create_endpoint(event, EndpointInput(url=receiver.url, events=["registration.updated"]), actor_id=None)
    database.session.commit()
    token = make_token(event, ["registrations:read"])

    def edit(theme_codes):
        update_registration(event, registration, category_code=registration.category.code,
                            job_title=registration.job_title, territory=registration.territory,
                            days=list(registration.days), theme_codes=theme_codes, actor_id=None)

    edit([t.code for t in registration.themes])  # nothing changed: no news
    assert kinds_sent(receiver) == [] and synced_ids(api, event, token) == []
    edit([event.themes[1].code])
    assert kinds_sent(receiver) == [("registration.updated", registration.id)]
    assert synced_ids(api, event, token) == [registration.id]


def test_a_delegation_an_import_adds_a_member_to_is_read_again(api, event, make_token):
    nevers, bourges = (create_delegation(event, name, actor_id=None) for name in ("Ville de Nevers", "Bourges"))
    database.session.commit()
    age(nevers, bourges)
    token = make_token(event, ["registrations:read"])
    assert synced_ids(api, event, token, "delegations") == []

    run_import(event, csv_bytes(GOOD_ROWS[:1]), "elus.csv", actor_id=None, notify=False)
    database.session.commit()
    [member] = database.session.get(Delegation, nevers.id).members
    assert member.person.email == "hélène.dupré@nevers.fr"
    assert synced_ids(api, event, token, "delegations") == [nevers.id]


def test_a_member_moved_to_another_delegation_moves_both(api, event, make_token, make_registration):
    mayor, deputy = make_registration(event, CategoryCode.ELU), make_registration(event, CategoryCode.ELU)
    nevers, bourges, quiet = (create_delegation(event, name, actor_id=None) for name in ("Nevers", "Bourges", "Sens"))
    set_members(event, nevers, [mayor.id, deputy.id], None, actor_id=None)
    database.session.commit()
    age(nevers, bourges, quiet)
    token = make_token(event, ["registrations:read"])

    registration = database.session.get(Registration, deputy.id)
    registration.delegation_id, registration.protocol_rank = bourges.id, 1  # as another path might
    database.session.commit()
    assert sorted(synced_ids(api, event, token, "delegations")) == [nevers.id, bourges.id]
