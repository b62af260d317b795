"""Check-ins through the API: a door system checks people in as the door page does (R2, S2), and a client reads
them in the order of their time."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.badging import services as badging
from app.badging.models import CheckIn, format_short_code
from app.core.timefmt import utcnow
from app.events.models import CategoryCode
from app.extensions import db as database
from app.registrations.services import approve
from tests.api.test_contract import error_of

EN = {"Accept-Language": "en"}


def confirmed(make_registration, event, category=CategoryCode.VISITEUR, **fields):
    registration = make_registration(event, category, **fields)
    if registration.status.value != "confirmed":
        approve(event, [registration.id], actor_id=None)
        database.session.commit()
    return registration


def badge_of(registration):
    token = badging.current_token(registration)
    database.session.commit()
    return token


def check_ins() -> int:
    return database.session.scalar(select(func.count()).select_from(CheckIn))


def test_a_door_checks_a_badge_in_once_and_a_second_scan_says_when_and_where(api, event, make_token,
                                                                             make_registration):
    attendee = confirmed(make_registration, event, first_name="Jean", last_name="Tremblay")
    code = badge_of(attendee).token
    token = make_token(event, ["checkins:write"])
    first = api.post(f"/events/{event.slug}/checkins", token, json={"badge_code": code, "gate": "Entrée nord"})
    assert first.status_code == 201, first.get_json()
    made = first.get_json()
    assert made["already"] is False and made["registration_id"] == attendee.id and made["last_name"] == "Tremblay"
    assert made["gate"] == "Entrée nord" and made["checked_in_at"].endswith("Z")
    again = api.post(f"/events/{event.slug}/checkins", token, json={"badge_code": code, "gate": "Porte sud"})
    assert again.status_code == 200
    assert again.get_json() == {**made, "already": True}  # the first check-in's time and door
    assert check_ins() == 1


def test_the_short_code_or_the_registration_id_checks_in_too(api, event, make_token, make_registration):
    by_code, by_id = confirmed(make_registration, event), confirmed(make_registration, event)
    short = format_short_code(badge_of(by_code).short_code).lower()
    token = make_token(event)
    assert api.post(f"/events/{event.slug}/checkins", token, json={"badge_code": short}).status_code == 201
    response = api.post(f"/events/{event.slug}/checkins", token, json={"registration_id": by_id.id})
    assert response.status_code == 201 and response.get_json()["registration_id"] == by_id.id
    assert check_ins() == 2


def test_an_offline_door_keeps_the_time_of_its_scan(api, event, make_token, make_registration):
    attendee = confirmed(make_registration, event)
    response = api.post(f"/events/{event.slug}/checkins", make_token(event),
                        json={"registration_id": attendee.id, "checked_in_at": "2026-06-02T09:15:00+02:00"})
    assert response.status_code == 201 and response.get_json()["checked_in_at"] == "2026-06-02T07:15:00Z"
    assert database.session.scalar(select(CheckIn.at)) == datetime(2026, 6, 2, 7, 15)


@pytest.mark.parametrize("kind", ["unknown", "other_event", "malformed", "revoked"])
def test_wrong_badges_are_refused_without_anyones_data_and_logged_hashed(api, event, make_event, make_token,
                                                                         make_registration, kind):
    stranger = confirmed(make_registration, make_event(slug="autre", name="Autre"), first_name="Zoé",
                         last_name="Secret")
    ours = confirmed(make_registration, event, first_name="Zoé", last_name="Secret")
    old = badge_of(ours).token
    badging.reissue(ours, actor_id=None)
    database.session.commit()
    code = {"unknown": "b_" + "x" * 32, "other_event": badge_of(stranger).token, "malformed": "DROP TABLE",
            "revoked": old}[kind]
    response = api.post(f"/events/{event.slug}/checkins", make_token(event), json={"badge_code": code}, headers=EN)
    assert response.status_code == 422 and error_of(response)["code"] == f"badge_{kind}"
    assert error_of(response)["field"] == "badge_code" and "Secret" not in response.get_data(as_text=True)
    entry = database.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.refused"))
    assert entry.details["reason"] == kind and code not in str(entry.details)
    assert check_ins() == 0


def test_a_registration_not_confirmed_or_of_another_edition_is_refused(api, event, make_event, make_token,
                                                                       make_registration):
    pending = make_registration(event, CategoryCode.ELU)
    theirs = confirmed(make_registration, make_event(slug="autre", name="Autre"))
    token = make_token(event)
    refused = api.post(f"/events/{event.slug}/checkins", token, json={"registration_id": pending.id}, headers=EN)
    assert refused.status_code == 422 and error_of(refused)["code"] == "badge_not_confirmed"
    assert error_of(refused)["message"] == "This registration is not confirmed."
    assert api.post(f"/events/{event.slug}/checkins", token, json={"registration_id": theirs.id}).status_code == 404
    assert check_ins() == 0


@pytest.mark.parametrize(("body", "field"), [
    ({}, "badge_code"), ({"badge_code": "K7M4-9QXR", "registration_id": 1}, "badge_code"),
    ({"badge_code": ""}, "badge_code"), ({"registration_id": "un"}, "registration_id"),
    ({"registration_id": 1, "checked_in_at": "2027-06-02T09:15:00"}, "checked_in_at"),
    ({"registration_id": 1, "gate": "x" * 61}, "gate"), ({"badge": "K7M4-9QXR"}, "badge"),
])
def test_bad_bodies_name_their_field(api, event, make_token, make_registration, body, field):
    confirmed(make_registration, event)
    response = api.post(f"/events/{event.slug}/checkins", make_token(event), json=body)
    assert response.status_code == 422 and error_of(response)["field"] == field
    assert check_ins() == 0


def test_a_time_in_the_future_is_refused(api, event, make_token, make_registration):
    attendee = confirmed(make_registration, event)
    later = (utcnow() + timedelta(hours=1)).isoformat() + "Z"
    response = api.post(f"/events/{event.slug}/checkins", make_token(event),
                        json={"registration_id": attendee.id, "checked_in_at": later}, headers=EN)
    assert response.status_code == 422 and error_of(response)["field"] == "checked_in_at"
    assert "clock" in error_of(response)["message"] and check_ins() == 0


def test_two_doors_at_once_the_second_is_told_of_the_first(api, event, make_token, make_registration,
                                                          monkeypatch):
    attendee = confirmed(make_registration, event)
    record = audit.record

    def other_door_first(action, **kwargs):
        # Another door's check-in of the same person is stored between this one's look-up and its write.
        if action == "checkin":
            with database.engine.begin() as connection:
                connection.execute(CheckIn.__table__.insert().values(
                    event_id=event.id, registration_id=attendee.id, at=datetime(2027, 6, 2, 7, 0), place="Porte B"))
        return record(action, **kwargs)

    monkeypatch.setattr(audit, "record", other_door_first)
    response = api.post(f"/events/{event.slug}/checkins", make_token(event), json={"registration_id": attendee.id})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["already"] is True and response.get_json()["gate"] == "Porte B"
    assert check_ins() == 1


def test_a_retried_check_in_gets_the_same_answer(api, event, make_token, make_registration):
    attendee = confirmed(make_registration, event)
    token = make_token(event)
    body = {"registration_id": attendee.id, "gate": "Entrée nord"}
    first = api.post(f"/events/{event.slug}/checkins", token, json=body, key="door-1-scan-77")
    again = api.post(f"/events/{event.slug}/checkins", token, json=body, key="door-1-scan-77")
    assert first.status_code == again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true" and check_ins() == 1


def test_check_ins_are_read_in_the_order_they_were_stored_and_a_late_door_is_not_missed(
        api, db, event, make_token, make_registration):
    people = [confirmed(make_registration, event) for _ in range(3)]
    writer = make_token(event, ["checkins:write"])
    times = ["2026-06-02T09:30:00Z", "2026-06-02T08:00:00Z", "2026-06-02T10:45:00Z"]
    for person, at in zip(people, times, strict=True):
        made = api.post(f"/events/{event.slug}/checkins", writer, json={"registration_id": person.id,
                                                                         "checked_in_at": at})
        assert made.status_code == 201
    assert api.get(f"/events/{event.slug}/checkins", writer).status_code == 403
    reader = make_token(event, ["checkins:read"])
    page = api.get(f"/events/{event.slug}/checkins?limit=2", reader).get_json()
    assert [c["registration_id"] for c in page["data"]] == [people[0].id, people[1].id]
    rest = api.get(f"/events/{event.slug}/checkins?limit=2&cursor={page['next_cursor']}", reader).get_json()
    assert [c["registration_id"] for c in rest["data"]] == [people[2].id] and rest["next_cursor"] is None
    # A client synced a moment ago; then an offline door sends a check-in it made at 08:15 that morning.
    synced = utcnow().replace(microsecond=0) + timedelta(seconds=1)
    late = confirmed(make_registration, event)
    made = api.post(f"/events/{event.slug}/checkins", writer, json={"registration_id": late.id,
                                                                     "checked_in_at": "2026-06-02T08:15:00Z"})
    assert made.status_code == 201
    stored = db.session.scalar(select(CheckIn).where(CheckIn.registration_id == late.id))
    stored.created_at = synced + timedelta(seconds=2)
    db.session.commit()
    stamp = synced.isoformat() + "Z"
    since = api.get(f"/events/{event.slug}/checkins?updated_since={stamp}", reader).get_json()
    assert [(c["registration_id"], c["checked_in_at"]) for c in since["data"]] == [(late.id, "2026-06-02T08:15:00Z")]


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_time_past_the_calendars_ends_is_refused_not_a_crash(api, event, make_token, make_registration, at):
    attendee = confirmed(make_registration, event)
    response = api.post(f"/events/{event.slug}/checkins", make_token(event),
                        json={"registration_id": attendee.id, "checked_in_at": at})
    assert response.status_code == 422 and error_of(response)["field"] == "checked_in_at"
    listed = api.get(f"/events/{event.slug}/checkins?updated_since={at.replace('+', '%2B')}", make_token(event))
    assert listed.status_code == 400 and error_of(listed)["field"] == "updated_since"
    assert check_ins() == 0
