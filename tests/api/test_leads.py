"""A startup's token reads its own stand's contacts, and of each person only what she agreed to share (S9)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.events.models import CategoryCode
from app.leads.models import Lead
from app.registrations.services import update_consents
from tests.api.stand_world import confirmed, scan
from tests.api.test_contract import error_of


def test_a_stand_reads_its_contacts_with_consent_applied(api, db, event, make_token, make_registration):
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    other_stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Lumière Publique")
    sharing = make_registration(event, CategoryCode.ELU, first_name="Anne", last_name="Partage", phone="0601020304",
                                consent_share_contact=True)
    private = make_registration(event, CategoryCode.ELU, first_name="Paul", last_name="Discret", phone="0605060708",
                                consent_share_contact=False)
    confirmed(event, stand, other_stand, sharing, private)
    shared_lead = scan(stand, sharing, "s-1", notes="Intéressée par un pilote")
    private_lead = scan(stand, private, "s-2")
    theirs = scan(other_stand, sharing, "o-1")
    token = make_token(event, stand=stand)
    page = api.get(f"/events/{event.slug}/leads", token).get_json()
    by_id = {lead["id"]: lead for lead in page["data"]}
    assert set(by_id) == {shared_lead, private_lead}  # never the other stand's contact
    assert (by_id[shared_lead]["email"], by_id[shared_lead]["phone"]) == (sharing.person.email, "0601020304")
    assert by_id[shared_lead]["notes"] == "Intéressée par un pilote"
    assert by_id[private_lead] | {"updated_at": None, "first_scanned_at": None, "last_scanned_at": None} == {
        "id": private_lead, "name": private.person.full_name, "organisation": private.organisation.name, "job_title": private.job_title or "",
        "shares_contact": False, "email": None, "phone": None, "notes": "", "rating": None, "tags": [],
        "num_scans": 1, "updated_at": None, "first_scanned_at": None, "last_scanned_at": None}
    assert not any(private.person.email in str(v) or "0605060708" in str(v) for v in by_id[private_lead].values())
    one = api.get(f"/events/{event.slug}/leads/{shared_lead}", token).get_json()
    assert one["email"] == sharing.person.email
    for lead_id in (theirs, 99999999):
        response = api.get(f"/events/{event.slug}/leads/{lead_id}", token)
        assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_a_withdrawn_consent_hides_the_contact_at_the_next_read_and_in_a_sync(api, db, event, make_token,
                                                                              make_registration):
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    person = make_registration(event, CategoryCode.ELU, consent_share_contact=True)
    other = make_registration(event, CategoryCode.ELU, consent_share_contact=True)
    confirmed(event, stand, person, other)
    lead, other_lead = scan(stand, person, "s-1"), scan(stand, other, "s-2")
    token = make_token(event, stand=stand)
    first = api.get(f"/events/{event.slug}/leads", token).get_json()["data"]
    assert {row["id"]: row["email"] for row in first}[lead] == person.person.email
    last_sync = max(db.session.scalars(select(Lead.updated_at))) + timedelta(seconds=1)
    update_consents(person, directory=False, share_contact=False, actor_id=person.person_id)
    person.consent_updated_at = last_sync + timedelta(seconds=1)  # after the sync, whatever the clock's resolution
    db.session.commit()
    assert api.get(f"/events/{event.slug}/leads/{lead}", token).get_json()["email"] is None
    since = last_sync.isoformat() + "%2B00:00"
    changed = api.get(f"/events/{event.slug}/leads?updated_since={since}", token).get_json()["data"]
    assert [(row["id"], row["email"], row["phone"]) for row in changed] == [(lead, None, None)]
    assert other_lead not in {row["id"] for row in changed}


def test_only_a_startups_token_reads_contacts(api, event, make_token, make_registration):
    stand = make_registration(event, CategoryCode.STARTUP)
    confirmed(event, stand)
    organiser = make_token(event)  # every organiser scope, none of which reads a stand's contacts
    response = api.get(f"/events/{event.slug}/leads", organiser)
    assert response.status_code == 403 and error_of(response)["code"] == "missing_scope"
    assert api.get(f"/events/{event.slug}/registrations", make_token(event, stand=stand)).status_code == 403
