"""The scanner's latest scans come back from the server after a reload, by device, and can be reopened for notes;
a phone already logged in pairs itself with one tap."""
from urllib.parse import urlsplit

from sqlalchemy import select

from app.auth.services import set_password
from app.extensions import db
from app.leads.models import Device, Lead, Scan
from tests.conftest import TEST_PASSWORD, login
from tests.leads.conftest import API, scan, upload


def recent(client, token, **params):
    return client.get(f"{API}/scans", query_string=params, headers={"Authorization": f"Bearer {token}"})


def test_a_devices_latest_scans_are_listed_newest_first_without_the_badge_code(client, make_stand, make_device,
                                                                               make_badge):
    stand = make_stand()
    _, token = make_device(stand)
    _, other_token = make_device(stand, "Tablette du stand")
    first, code_1 = make_badge(first_name="Anne", last_name="Roy")
    _, code_2 = make_badge(first_name="Marc", last_name="Petit", consent_share_contact=False)
    upload(client, token, [scan(code_1, "c-1", scanned_at="2026-11-02T09:00:00Z", notes="Veut un pilote", rating=4),
                           scan(code_2, "c-2", scanned_at="2026-11-02T09:05:00Z")])
    upload(client, other_token, [scan(code_1, "t-1", scanned_at="2026-11-02T09:10:00Z")])
    body = recent(client, token).json
    assert [s["client_id"] for s in body["scans"]] == ["c-2", "c-1"]  # this device's only, newest first
    assert body["scans"][0]["name"] == "Marc Petit"
    latest = body["scans"][1]
    assert latest["notes"] == "Veut un pilote" and latest["rating"] == 4 and latest["name"] == "Anne Roy"
    assert first.person.email not in str(body)  # the list a phone keeps holds no e-mail (issue 19)
    assert code_1 not in str(body) and code_2 not in str(body)
    assert [s["client_id"] for s in recent(client, token, limit=1).json["scans"]] == ["c-2"]
    assert len(recent(client, token, limit="many").json["scans"]) == 2  # nonsense: the default


def test_a_reopened_scan_takes_new_notes_and_interest_without_its_code(client, make_stand, make_device, make_badge):
    stand = make_stand()
    _, token = make_device(stand)
    _, code = make_badge()
    upload(client, token, [scan(code, "c-1", notes="Premier échange")])
    scanned_at = recent(client, token).json["scans"][0]["scanned_at"]
    response = upload(client, token, [{"client_id": "c-1", "scanned_at": scanned_at, "notes": "Rappeler lundi",
                                       "rating": 5}])
    assert response.json["results"][0]["status"] == "updated"
    lead = db.session.scalar(select(Lead))
    assert lead.notes == "Rappeler lundi" and lead.rating == 5 and lead.num_scans == 1
    assert recent(client, token).json["scans"][0]["notes"] == "Rappeler lundi"
    # Notes for a scan the stand does not have are refused by name, never stored.
    unknown = upload(client, token, [{"client_id": "c-9", "scanned_at": scanned_at, "notes": "?"}]).json
    assert unknown["results"][0]["status"] == "refused" and unknown["results"][0]["code"] == "code_missing"
    assert db.session.query(Scan).count() == 1


def test_the_list_needs_a_paired_device(client):
    assert client.get(f"{API}/scans").status_code == 401
    assert recent(client, "d_not-a-token").status_code == 401


def test_one_tap_pairs_the_phone_already_logged_in(app, make_stand):
    stand = make_stand()
    client = app.test_client()
    login(client, stand.person)
    page = client.get("/e/sommet-2027/stand/devices").get_data(as_text=True)
    assert "Utiliser ce téléphone comme scanner" in page
    response = client.submit("/e/sommet-2027/stand/devices/this-phone")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/scan/" and target.fragment.startswith("pair=")
    paired = client.post(f"{API}/pair", json={"code": target.fragment.removeprefix("pair=")})
    assert paired.status_code == 201
    device = db.session.scalar(select(Device))
    assert device.name == f"Téléphone de {stand.person.first_name}" and device.paired_by_id == stand.person.id


def test_one_tap_pairing_needs_a_stand_and_a_form_token(app, client, event, make_registration):
    visitor = make_registration(event)
    set_password(visitor.person, TEST_PASSWORD)
    db.session.commit()
    login(client, visitor.person)
    assert client.submit(f"/e/{event.slug}/stand/devices/this-phone").status_code in (403, 404)
    assert client.post(f"/e/{event.slug}/stand/devices/this-phone").status_code == 400
    assert db.session.scalar(select(Device)) is None
