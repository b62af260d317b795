"""What the scanner's answers give a phone to keep (issue 19): the list's fields only, never an e-mail or a phone;
the contact details of a reopened scan as consent allows now; which kept scans to forget; a revoked device's 401."""
from datetime import timedelta

from app.extensions import db
from app.leads import devices, retention
from app.registrations.services import cancel, update_consents
from tests.leads.conftest import API, scan, upload

SHARING = {"first_name": "Josée", "last_name": "Bouchard", "email": "josee@nevers.fr", "phone": "+33 3 86 11 22 33",
           "organisation_name": "Ville de Nevers"}
PRIVATE = {"first_name": "Marc", "last_name": "Petit", "email": "marc.prive@example.org", "phone": "+33 6 99 88 77 66",
           "organisation_name": "Commune de Thiès", "consent_share_contact": False}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def kept(client, token, client_ids):
    return client.post(f"{API}/kept", json={"client_ids": client_ids}, headers=bearer(token))


def detail(client, token, client_id):
    return client.get(f"{API}/scans/{client_id}", headers=bearer(token))


def scanned(client, make_stand, make_device, make_badge):
    """A stand's phone that scanned one person who shares her contact and one who does not."""
    stand = make_stand()
    _, token = make_device(stand)
    sharing, sharing_code = make_badge(**SHARING)
    private, private_code = make_badge(**PRIVATE)
    body = upload(client, token, [scan(sharing_code, "c-share", scanned_at="2026-11-02T09:00:00Z", notes="Pilote"),
                                  scan(private_code, "c-private", scanned_at="2026-11-02T09:05:00Z")]).json
    assert [r["status"] for r in body["results"]] == ["stored", "stored"]
    return stand, token, sharing, private, (sharing_code, private_code)


def test_the_scan_answer_sends_a_non_consenting_persons_details_never_even_on_a_replay(client, make_stand,
                                                                                       make_device, make_badge):
    stand, token, sharing, private, (sharing_code, private_code) = scanned(client, make_stand, make_device, make_badge)
    replay = upload(client, token, [scan(private_code, "c-private", scanned_at="2026-11-02T09:05:00Z"),
                                    scan(private_code, "c-again")])
    assert [r["status"] for r in replay.json["results"]] == ["duplicate", "stored"]
    text = replay.get_data(as_text=True)
    assert {r["contact"]["organisation"] for r in replay.json["results"]} == {"Commune de Thiès"}
    assert PRIVATE["email"] not in text and "99 88 77" not in text
    shown = upload(client, token, [scan(sharing_code, "c-share-2")]).json["results"][0]["contact"]
    assert shown["email"] == SHARING["email"] and shown["phone"] == SHARING["phone"]  # on screen after the scan


def test_the_list_a_phone_keeps_holds_names_and_notes_and_no_email_or_phone_for_anyone(client, make_stand,
                                                                                       make_device, make_badge):
    _, token, *_ = scanned(client, make_stand, make_device, make_badge)
    for response in (client.get(f"{API}/scans", headers=bearer(token)), kept(client, token, [])):
        assert response.status_code == 200
        entries = response.json["scans"]
        assert [(e["client_id"], e["name"], e["organisation"]) for e in entries] == [
            ("c-private", "Marc Petit", "Commune de Thiès"), ("c-share", "Josée Bouchard", "Ville de Nevers")]
        assert entries[1]["notes"] == "Pilote" and entries[1]["scanned_at"] == "2026-11-02T09:00:00Z"
        text = response.get_data(as_text=True)
        for value in (SHARING["email"], PRIVATE["email"], "11 22 33", "99 88 77", "email", "phone"):
            assert value not in text
    assert kept(client, token, []).json["drop"] == []


def test_a_reopened_scan_shows_the_details_as_consent_allows_now(client, make_stand, make_device, make_badge):
    stand, token, sharing, private, _ = scanned(client, make_stand, make_device, make_badge)
    shared = detail(client, token, "c-share").json
    assert shared["name"] == "Josée Bouchard" and shared["notes"] == "Pilote"
    assert shared["contact"]["email"] == SHARING["email"] and shared["contact"]["shares_contact"]
    hidden = detail(client, token, "c-private")
    assert hidden.json["contact"]["email"] is None and PRIVATE["email"] not in hidden.get_data(as_text=True)
    # She withdraws her consent on her own page: the next read no longer holds her e-mail or phone (S9).
    update_consents(sharing, directory=False, share_contact=False, actor_id=sharing.person_id)
    withdrawn = detail(client, token, "c-share")
    assert withdrawn.status_code == 200 and withdrawn.json["name"] == "Josée Bouchard"
    assert SHARING["email"] not in withdrawn.get_data(as_text=True) and "11 22 33" not in withdrawn.get_data(as_text=True)
    # Another phone of the stand, or a made-up id: no such scan for this device.
    _, other_token = make_device(stand, "Tablette")
    for response in (detail(client, other_token, "c-share"), detail(client, token, "nope"),
                     detail(client, token, "bad id!")):
        assert response.status_code == 404 and response.json["code"] == "scan_unknown"
        assert "Bouchard" not in response.get_data(as_text=True)


def test_the_kept_answer_lists_the_scans_to_forget(client, app, event, make_stand, make_device, make_badge):
    stand, token, *_ = scanned(client, make_stand, make_device, make_badge)
    other_stand = make_stand("Autre stand")
    _, other_token = make_device(other_stand)
    _, code = make_badge(first_name="Awa", last_name="Ndiaye")
    upload(client, other_token, [scan(code, "c-other")])
    answer = kept(client, token, ["c-share", "c-private", "c-other", "never-sent"]).json
    assert [e["client_id"] for e in answer["scans"]] == ["c-private", "c-share"]
    assert answer["drop"] == ["c-other", "never-sent"]  # another stand's scan is as good as unknown
    assert "Awa" not in str(answer)
    # The edition's contacts are purged after their retention period: the phone forgets every scan it keeps.
    retention.purge_expired_contacts(today=event.ends_on + timedelta(days=2), retention_days=1)
    answer = kept(client, token, ["c-share", "c-private"]).json
    assert answer == {"scans": [], "drop": ["c-share", "c-private"]}


def test_a_kept_scan_older_than_the_latest_ones_is_still_vouched_for(client, make_stand, make_device, make_badge):
    stand = make_stand()
    _, token = make_device(stand)
    _, code = make_badge()
    upload(client, token, [scan(code, f"c-{n}", scanned_at=f"2026-11-02T09:{n:02d}:00Z") for n in range(5)])
    answer = client.post(f"{API}/kept?limit=2", json={"client_ids": ["c-0"]}, headers=bearer(token)).json
    assert [e["client_id"] for e in answer["scans"]][-1] == "c-0" and answer["drop"] == []


def test_a_kept_request_that_is_not_a_list_of_ids_is_refused_by_name(client, make_stand, make_device):
    _, token = make_device(make_stand())
    for body in ({}, {"client_ids": "c-1"}, {"client_ids": [1]}, {"client_ids": ["a b"]},
                 {"client_ids": [f"c-{n}" for n in range(101)]}, ["c-1"]):
        response = client.post(f"{API}/kept", json=body, headers=bearer(token))
        assert response.status_code == 400 and response.json["code"] == "client_ids_invalid"
        assert "client_ids" in response.json["error"] and response.json["field"] == "client_ids"


def test_a_revoked_device_or_a_closed_stand_is_told_so_on_every_call(client, event, make_stand, make_device,
                                                                     make_badge):
    stand, token, *_ = scanned(client, make_stand, make_device, make_badge)
    device = devices.authenticate(f"Bearer {token}")
    devices.revoke(db.session.get(devices.Device, device.id), actor_id=None)
    calls = (kept(client, token, ["c-share"]), detail(client, token, "c-share"),
             client.get(f"{API}/scans", headers=bearer(token)), client.get(f"{API}/device", headers=bearer(token)),
             upload(client, token, [scan("b_x", "c-9")]))
    for response in calls:
        assert response.status_code == 401 and response.json["code"] == "device_revoked"
        assert "Bouchard" not in response.get_data(as_text=True)
    other = make_stand("Stand fermé")
    _, other_token = make_device(other)
    cancel(event, [other.id], actor_id=None)
    db.session.commit()
    closed = kept(client, other_token, [])
    assert closed.status_code == 401 and closed.json["code"] == "stand_closed"
