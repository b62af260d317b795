"""Registrations written through the API: the form's checks and words, idempotent retries, an audit row naming
the token, and confirm/cancel through the organiser's decisions."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.api.contract import framework
from app.api.models import ApiToken
from app.api.schemas.checkins import CheckInIn
from app.audit.models import AuditEntry
from app.events.models import CategoryCode
from app.mail.models import OutboxMessage
from app.registrations.models import Registration, RegistrationStatus
from tests.api.test_contract import error_of

EN = {"Accept-Language": "en"}


def official(**changes) -> dict:
    body = {"category": "elu", "email": "claire.morel@example.org", "first_name": "Claire", "last_name": "Morel",
            "phone": "+33 6 12 34 56 78", "mandate": "maire", "mandate_title": "Mairesse", "territory": "Nevers",
            "days": ["2027-06-02", "2027-06-03"], "themes": ["mobilite"],
            "consents": {"directory": True, "share_contact": False}}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def count(db, model=Registration) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_registration(db, registration_id: int) -> Registration:
    db.session.expire_all()  # the requests wrote through their own sessions
    return db.session.get(Registration, registration_id)


def api_writes(db) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api.write")))


def test_an_official_registered_through_the_api_is_the_forms_registration(api, db, event, make_token,
                                                                        make_organiser):
    organiser = make_organiser(event)
    token = make_token(event, actor_id=organiser.id, name="CRM de la ville")
    response = api.post(f"/events/{event.slug}/registrations", token, json=official())
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert made["category"] == "elu" and made["status"] == "pending" and made["source"] == "api"
    assert made["mandate"] == "maire" and made["territory"] == "Nevers" and made["themes"] == ["mobilite"]
    assert made["days"] == ["2027-06-02", "2027-06-03"] and made["consents"]["directory"] is True
    assert made["email"] == "claire.morel@example.org" and made["updated_at"].endswith("Z")
    stored = stored_registration(db, made["id"])
    assert stored.person.full_name == "Claire Morel" and stored.organisation.name == "Nevers"
    # The person is told, as after the form; the audit names the token (by id) and its creator.
    assert db.session.scalar(select(OutboxMessage.recipient)) == "claire.morel@example.org"
    created = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.create"))
    assert created.actor_id == organiser.id and created.details["source"] == "api"
    [write] = api_writes(db)
    assert write.actor_id == organiser.id and write.details["token_id"] == db.session.scalar(select(ApiToken.id))
    assert write.details["status"] == 201 and write.details["path"].endswith("/registrations")


def test_contact_fields_come_back_only_with_their_scope(api, event, make_token):
    token = make_token(event, ["registrations:read", "registrations:write"])
    made = api.post(f"/events/{event.slug}/registrations", token, json=official()).get_json()
    assert made["email"] is None and made["phone"] is None and made["last_name"] == "Morel"


def test_a_startup_brings_its_team(api, db, event, make_token):
    token = make_token(event)
    body = {"category": "startup", "email": "lea@parkly.example", "first_name": "Léa", "last_name": "Roux",
            "organisation_name": "Parkly", "pitch": "Capteurs de stationnement", "days": ["2027-06-02"],
            "team": [{"first_name": "Marc", "last_name": "Petit", "email": "marc@parkly.example"}]}
    lead = api.post(f"/events/{event.slug}/registrations", token, json=body).get_json()
    member = db.session.scalar(select(Registration).where(Registration.team_lead_id == lead["id"]))
    assert lead["organisation"] == "Parkly" and member.person.email == "marc@parkly.example"


@pytest.mark.parametrize(("body", "field", "message"), [
    (official(mandate=None), "mandate", "Give your mandate and your territory."),
    (official(territory=""), "territory", "Give your mandate and your territory."),
    (official(days=["2027-07-14"]), "days", "2027-07-14 is not a day of this edition."),
    (official(days=[]), "days", "Choose at least one day."),
    (official(themes=["astrologie"]), "themes", "Unknown theme: astrologie."),
    (official(category="entreprise"), "organisation_name", "Company: this field is required."),
    ({**official(category="startup", organisation_name="Parkly")}, "pitch",
     "Describe your innovation in a few lines."),
    (official(team=[{"first_name": "A", "last_name": "B", "email": "a@b.example"}]), "team",
     "Only a startup registers a team."),
])
def test_the_forms_checks_refuse_in_the_forms_words_and_store_nothing(api, db, event, make_token, body, field,
                                                                       message):
    token = make_token(event)
    response = api.post(f"/events/{event.slug}/registrations", token, json=body, headers=EN)
    assert response.status_code == 422
    assert error_of(response)["field"] == field and error_of(response)["message"] == message
    assert count(db) == 0 and count(db, OutboxMessage) == 0 and api_writes(db) == []


def test_refusals_are_in_the_readers_language(api, event, make_token):
    response = api.post(f"/events/{event.slug}/registrations", make_token(event), json=official(mandate=None),
                        headers={"Accept-Language": "fr"})
    assert error_of(response)["message"] == "Indiquez votre mandat et votre territoire."
    response = api.post(f"/events/{event.slug}/registrations", make_token(event), json=official(category="entreprise"),
                        headers={"Accept-Language": "fr"})
    assert error_of(response)["message"] == "Entreprise : ce champ est obligatoire."


@pytest.mark.parametrize(("changes", "field"), [
    ({"email": "not-an-address"}, "email"), ({"first_name": "   "}, "first_name"), ({"mandate": "roi"}, "mandate"),
    ({"country": "XX"}, "country"), ({"days": ["demain"]}, "days.0"), ({"colour": "blue"}, "colour"),
    ({"pitch": "x" * 801}, "pitch"), ({"consents": {"directory": "maybe"}}, "consents.directory"),
])
def test_malformed_bodies_name_their_field_and_store_nothing(api, db, event, make_token, changes, field):
    response = api.post(f"/events/{event.slug}/registrations", make_token(event), json=official(**changes))
    assert response.status_code == 422 and error_of(response)["field"] == field
    assert count(db) == 0 and api_writes(db) == []


def test_a_person_registered_twice_is_refused(api, db, event, make_token, make_registration):
    make_registration(event, email="claire.morel@example.org")
    response = api.post(f"/events/{event.slug}/registrations", make_token(event), json=official(), headers=EN)
    assert response.status_code == 422 and error_of(response)["code"] == "duplicate"
    assert "claire.morel@example.org is already registered" in error_of(response)["message"]
    assert count(db) == 1


def test_a_retried_request_is_answered_once_and_a_reused_key_is_refused(api, db, event, make_token):
    token = make_token(event)
    first = api.post(f"/events/{event.slug}/registrations", token, json=official(), key="crm-42")
    again = api.post(f"/events/{event.slug}/registrations", token, json=official(), key="crm-42")
    assert first.status_code == again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert count(db) == 1 and count(db, OutboxMessage) == 1 and len(api_writes(db)) == 1
    other = api.post(f"/events/{event.slug}/registrations", token, json=official(email="autre@example.org"),
                     key="crm-42")
    assert other.status_code == 422 and error_of(other)["code"] == "idempotency_key_reused"
    assert count(db) == 1


def test_writing_needs_the_write_scope(api, db, event, make_token, make_registration):
    registration = make_registration(event)
    token = make_token(event, ["registrations:read", "registrations:contact"])
    for response in (api.post(f"/events/{event.slug}/registrations", token, json=official()),
                     api.patch(f"/events/{event.slug}/registrations/{registration.id}", token, json={"job_title": "x"}),
                     api.post(f"/events/{event.slug}/registrations/{registration.id}/status", token,
                              json={"status": "cancelled"})):
        assert response.status_code == 403 and error_of(response)["code"] == "missing_scope"
    assert count(db) == 1 and stored_registration(db, registration.id).status == RegistrationStatus.CONFIRMED


def test_a_change_touches_only_the_fields_given(api, db, event, make_token, make_registration):
    registration = make_registration(event, CategoryCode.ELU, theme_codes=["sante"], job_title="Maire")
    before = registration.updated_at
    token = make_token(event)
    response = api.patch(f"/events/{event.slug}/registrations/{registration.id}", token,
                         json={"days": ["2027-06-03", "2027-06-04"], "mandate_title": "Mairesse"})
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["days"] == ["2027-06-03", "2027-06-04"] and changed["themes"] == ["sante"]
    assert changed["job_title"] == "Maire" and changed["category"] == "elu" and changed["updated_at"] >= \
        before.isoformat(timespec="seconds") + "Z"
    stored = stored_registration(db, registration.id)
    assert stored.mandate_title == "Mairesse" and stored.days == ["2027-06-03", "2027-06-04"]


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"days": ["2027-06-09"]}, "days", "2027-06-09 is not a day of this edition."),
    ({"days": []}, "days", "Choose at least one day."),
    ({"themes": ["sante", "astrologie"]}, "themes", "Unknown theme: astrologie."),
    ({"job_title": None}, "job_title", None),
    ({"status": "confirmed"}, "status", None),
])
def test_a_refused_change_changes_nothing(api, db, event, make_token, make_registration, body, field, message):
    registration = make_registration(event, theme_codes=["sante"])
    response = api.patch(f"/events/{event.slug}/registrations/{registration.id}", make_token(event), json=body,
                         headers=EN)
    assert response.status_code == 422 and error_of(response)["field"] == field
    assert message is None or error_of(response)["message"] == message
    stored = stored_registration(db, registration.id)
    assert stored.days == ["2027-06-02"] and [t.code for t in stored.themes] == ["sante"]


def test_another_editions_registration_is_not_found(api, event, make_event, make_token, make_registration):
    theirs = make_registration(make_event(slug="sommet-2028", name="Sommet 2028"))
    token = make_token(event)
    assert api.patch(f"/events/{event.slug}/registrations/{theirs.id}", token,
                     json={"job_title": "x"}).status_code == 404
    assert api.post(f"/events/{event.slug}/registrations/{theirs.id}/status", token,
                    json={"status": "cancelled"}).status_code == 404


def test_confirming_and_cancelling_go_through_the_organisers_decisions(api, db, event, make_token,
                                                                      make_registration):
    pending = make_registration(event, CategoryCode.ELU)
    assert pending.status == RegistrationStatus.PENDING
    token = make_token(event)
    path = f"/events/{event.slug}/registrations/{pending.id}/status"
    confirmed = api.post(path, token, json={"status": "confirmed"})
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "confirmed"
    assert confirmed.get_json()["confirmed_at"] is not None
    # Asking again for the status it has changes nothing, and sends no second mail.
    mails = count(db, OutboxMessage)
    assert api.post(path, token, json={"status": "confirmed"}).get_json()["status"] == "confirmed"
    assert count(db, OutboxMessage) == mails
    declined = api.post(path, token, json={"status": "cancelled", "reason": "declined"})
    assert declined.get_json()["status"] == "cancelled" and declined.get_json()["cancelled_at"] is not None
    assert stored_registration(db, pending.id).cancel_reason == "declined"
    impossible = api.post(path, token, json={"status": "confirmed"}, headers=EN)
    assert impossible.status_code == 422 and error_of(impossible)["code"] == "impossible_status_change"
    assert "cannot be confirmed" in error_of(impossible)["message"]
    assert stored_registration(db, pending.id).status == RegistrationStatus.CANCELLED
    bad = api.post(path, token, json={"status": "waitlisted"})
    assert bad.status_code == 422 and error_of(bad)["field"] == "status"


def test_a_cancellation_gives_the_place_to_the_waiting_list(api, db, event, make_token, make_registration):
    category = event.category("visiteur")
    category.capacity = 1
    db.session.commit()
    first = make_registration(event)
    waiting = make_registration(event)
    assert waiting.status == RegistrationStatus.WAITLISTED
    token = make_token(event)
    api.post(f"/events/{event.slug}/registrations/{first.id}/status", token, json={"status": "cancelled"})
    assert stored_registration(db, waiting.id).status == RegistrationStatus.CONFIRMED


def test_a_waitlisted_registration_is_confirmed_by_the_api(api, db, event, make_token, make_registration):
    event.category("visiteur").capacity = 1
    db.session.commit()
    make_registration(event)
    waiting = make_registration(event)
    response = api.post(f"/events/{event.slug}/registrations/{waiting.id}/status", make_token(event),
                        json={"status": "confirmed"})
    assert response.get_json()["status"] == "confirmed"


def test_the_documented_examples_work_on_the_summit(app, api, event, make_token):
    examples = {op.endpoint: op.example for op in framework.operations(app)}
    token = make_token(event)
    made = api.post(f"/events/{event.slug}/registrations", token,
                    json=examples["api_registration_writes.create_registration"])
    assert made.status_code == 201, made.get_json()
    path = f"/events/{event.slug}/registrations/{made.get_json()['id']}"
    changed = api.patch(path, token, json=examples["api_registration_writes.update_registration"])
    assert changed.status_code == 200, changed.get_json()
    confirmed = api.post(path + "/status", token, json=examples["api_registration_writes.change_status"])
    assert confirmed.get_json()["status"] == "confirmed"
    assert CheckInIn.model_validate(examples["api_checkins.create_checkin"]).badge_code == "K7M4-9QXR"


def test_an_organiser_moves_a_registration_to_another_category(api, db, event, make_token, make_registration):
    registration = make_registration(event)
    path = f"/events/{event.slug}/registrations/{registration.id}"
    moved = api.patch(path, make_token(event), json={"category": "presse"})
    assert moved.status_code == 200 and moved.get_json()["category"] == "presse"
    unknown = api.patch(path, make_token(event), json={"category": "roi"})
    assert unknown.status_code == 422 and error_of(unknown)["field"] == "category"
    assert stored_registration(db, registration.id).category.code == CategoryCode.PRESSE


def test_a_day_or_a_theme_sent_twice_counts_once_and_a_boolean_is_not_a_number(api, db, event, make_token):
    token = make_token(event)
    body = {"category": "visiteur", "email": "twice@example.org", "first_name": "Inès", "last_name": "Doublon",
            "days": ["2027-06-02"] * 30 + ["2027-06-03"]}
    made = api.post(f"/events/{event.slug}/registrations", token, json=body)
    assert made.status_code == 201, made.get_json()
    assert stored_registration(db, made.get_json()["id"]).days == ["2027-06-02", "2027-06-03"]
    refused = api.post(f"/events/{event.slug}/checkins", token, json={"registration_id": True})
    assert refused.status_code == 422 and error_of(refused)["field"] == "registration_id"
