"""The scanning API: pairing (S1, S5), batches stored once (R2, R3, R4), bad input (R9, S2), consent (S9),
rate limit per device (S6)."""
import json
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.badging import services as badging
from app.events.models import CategoryCode
from app.extensions import db
from app.leads import devices
from app.leads.models import Device, Lead, PairingCode, Scan
from app.core.timefmt import utcnow
from tests.conftest import login
from tests.leads.conftest import API, now_iso, scan, upload


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- pairing -------------------------------------------------------------------------------------

def test_a_pairing_code_gives_one_device_a_hashed_prefixed_token_once(client, make_stand):
    stand = make_stand()
    pairing = devices.start_pairing(stand, "Tablette de l'accueil", actor_id=None)
    db.session.commit()
    assert len(pairing.code) == 8 and pairing.display[4] == "-"
    response = client.post(f"{API}/pair", json={"code": pairing.display.lower()})
    assert response.status_code == 201, response.json
    token = response.json["token"]
    assert token.startswith("d_") and len(token) >= 2 + 32  # 192 random bits, url-safe
    assert response.json["stand"]["name"] == "Capteurs du Morvan"
    device = db.session.scalar(select(Device))
    assert device.token_hash != token and token not in device.token_hash
    assert db.session.scalar(select(PairingCode)).code_hash != pairing.code
    again = client.post(f"{API}/pair", json={"code": pairing.code}, headers={"Accept-Language": "en"})
    assert again.status_code == 400 and "already used" in again.json["error"]
    assert count(Device) == 1
    info = client.get(f"{API}/device", headers={"Authorization": f"Bearer {token}"})
    assert info.status_code == 200 and info.json["device"]["name"] == "Tablette de l'accueil"


def test_pairing_refuses_expired_missing_and_made_up_codes_clearly(client, make_stand):
    stand = make_stand()
    pairing = devices.start_pairing(stand, "Téléphone", actor_id=None)
    db.session.scalar(select(PairingCode)).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.post(f"{API}/pair", json={"code": pairing.code}, headers={"Accept-Language": "en"})
    assert expired.status_code == 400 and expired.json["code"] == "pairing_code_expired"
    assert "expired" in expired.json["error"]
    for body in ({"code": ""}, {"code": "ZZZZ-ZZZZ"}, {"code": "x" * 5000}, ["not", "an", "object"]):
        response = client.post(f"{API}/pair", json=body)
        assert response.status_code == 400 and response.json["error"]
    assert client.post(f"{API}/pair", data="garbage").status_code == 400
    assert count(Device) == 0


# -- device tokens -------------------------------------------------------------------------------

def test_missing_unknown_and_revoked_device_tokens_get_a_clear_401(app, client, make_stand, make_device, make_badge,
                                                                   make_person):
    stand = make_stand()
    device, token = make_device(stand)
    _, code = make_badge()
    en = {"Accept-Language": "en"}
    missing = client.post(f"{API}/scans", json={"scans": []}, headers=en)
    assert missing.status_code == 401 and "not paired" in missing.json["error"]
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    made_up = upload(client, "d_" + "A" * 32, [scan(code, "c1")], headers=en)
    assert made_up.status_code == 401 and made_up.json["code"] == "device_token_invalid"
    badge_as_device = upload(client, code, [scan(code, "c1")])
    assert badge_as_device.status_code == 401
    devices.revoke(device, actor_id=None)
    db.session.commit()
    revoked = upload(client, token, [scan(code, "c1")], headers=en)
    assert revoked.status_code == 401 and "unpaired" in revoked.json["error"]
    # A logged-in browser's cookie is no device key (S5).
    person = make_person()
    login(client, person)
    assert client.post(f"{API}/scans", json={"scans": [scan(code, "c2")]}).status_code == 401
    assert count(Scan) == 0


# -- storing scans -------------------------------------------------------------------------------

def test_a_scan_is_stored_once_per_client_id_with_its_original_time(client, make_stand, make_device, make_badge):
    stand = make_stand()
    _, token = make_device(stand)
    visitor, code = make_badge(first_name="Josée", last_name="Bouchard-Côté", organisation_name="Ville de Nevers")
    offline_time = "2026-11-21T08:15:30.250+01:00"
    first = upload(client, token, [scan(code, "uuid-1", scanned_at=offline_time)])
    assert first.status_code == 200 and first.json["stored"] == 1
    contact = first.json["results"][0]["contact"]
    assert contact["name"] == "Josée Bouchard-Côté" and contact["organisation"] == "Ville de Nevers"
    replay = upload(client, token, [scan(code, "uuid-1", scanned_at=offline_time)])
    assert replay.json["duplicate"] == 1 and replay.json["stored"] == 0
    assert replay.json["results"][0]["contact"] == contact  # a replay returns the stored answer (R4)
    assert count(Scan) == 1 and count(Lead) == 1
    stored = db.session.scalar(select(Scan))
    assert stored.scanned_at == datetime(2026, 11, 21, 7, 15, 30, 250000)  # UTC, as the device saw it
    assert stored.stand_id == stand.id and stored.registration_id == visitor.id


def test_scanning_a_person_twice_updates_one_contact_and_empty_fields_never_erase(client, make_stand, make_device,
                                                                                 make_badge):
    stand = make_stand()
    _, phone = make_device(stand, "Téléphone")
    _, tablet = make_device(stand, "Tablette")
    _, code = make_badge()
    upload(client, phone, [scan(code, "a", notes="Veut un pilote à Nevers", rating=4, tags=["pilote"])])
    second = upload(client, tablet, [scan(code, "b", notes="", rating=None, tags=[])])
    assert second.json["stored"] == 1
    lead = db.session.scalar(select(Lead))
    assert count(Lead) == 1 and lead.num_scans == 2
    assert lead.notes == "Veut un pilote à Nevers" and lead.rating == 4 and lead.tags == ["pilote"]
    # Notes added later to the same scan replace that scan's words; another scan's notes add up.
    updated = upload(client, phone, [scan(code, "a", notes="Veut un pilote à Nevers en 2028", rating=5)])
    assert updated.json["updated"] == 1
    upload(client, tablet, [scan(code, "b", notes="Rappeler lundi", tags=["investisseur"])])
    db.session.expire_all()
    lead = db.session.scalar(select(Lead))
    assert lead.notes == "Veut un pilote à Nevers en 2028\n\nRappeler lundi"
    assert lead.rating == 5 and lead.tags == ["pilote", "investisseur"]
    assert count(Scan) == 2


def test_a_batch_stores_the_good_entries_and_reports_the_bad_ones(client, make_stand, make_device, make_badge,
                                                                 make_event):
    stand = make_stand()
    _, token = make_device(stand)
    _, good_1 = make_badge()
    _, good_2 = make_badge()
    reprinted, old_code = make_badge()
    badging.reissue(reprinted, actor_id=None)
    other_event = make_event(slug="autre-edition")
    _, elsewhere = make_badge(target=other_event)
    db.session.commit()
    entries = [
        scan(good_1, "ok-1"),
        "not an object",
        {"code": good_2, "scanned_at": now_iso()},                           # no client id
        scan(good_2, "notes", notes="x" * 100_000),                          # 100 KB of notes
        scan(good_2, "future", scanned_at=(utcnow() + timedelta(days=2)).isoformat() + "Z"),
        scan(good_2, "naive", scanned_at="2026-11-21T10:00:00"),
        scan(good_2, "rating", rating=9),
        scan("b_" + "x" * 32, "unknown"),
        scan(old_code, "revoked"),
        scan(elsewhere, "elsewhere"),
        scan("https://example.org/", "url"),
        scan(good_2, "ok-2", tags=["pilote"] * 3),
    ]
    response = upload(client, token, entries, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    body = response.json
    by_index = {r["index"]: r for r in body["results"]}
    assert [by_index[i]["status"] for i in range(len(entries))] == [
        "stored", "refused", "refused", "refused", "refused", "refused", "refused", "refused", "refused", "refused",
        "refused", "stored"]
    assert body["stored"] == 2 and body["refused"] == 10
    codes = {by_index[i]["code"] for i in range(1, 11)}
    assert codes == {"not_an_object", "client_id_invalid", "notes_too_long", "scanned_at_future",
                     "scanned_at_invalid", "rating_invalid", "unknown", "revoked", "other_event", "malformed"}
    assert "100,000 characters" in by_index[3]["error"] and "4,000" in by_index[3]["error"]
    for i in (7, 8, 9):  # a refused badge says nothing about anyone
        assert "contact" not in by_index[i]
    assert count(Scan) == 2 and count(Lead) == 2
    refusals = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "lead.scan_refused")).all()
    assert {r.details["reason"] for r in refusals} == {"unknown", "revoked", "other_event", "malformed"}
    assert all(old_code not in str(r.details) and elsewhere not in str(r.details) for r in refusals)
    assert all(len(r.details["code_sha256"]) == 16 for r in refusals)


def test_what_the_batch_properties_found_is_refused_or_cleaned_never_a_500(client, make_stand, make_device,
                                                                           make_badge):
    """Found by tests/leads/test_scan_properties.py: each was a 500 (the last two on PostgreSQL only) or a stored
    client id with a line break."""
    _, token = make_device(make_stand())
    _, code = make_badge()
    entries = [
        scan(code, "early", scanned_at="0001-01-01T00:00:00+01:00"),  # before the first UTC time Python holds
        scan(code, "late", scanned_at="9999-12-31T23:59:59-14:00"),
        scan(code, "c1\n"),
        scan("b_\x00x", "nul-code"),
        scan(code, "nul-notes", notes="a\x00b\x07c\ud800d", tags=["x\x00y", "\udfffz"]),
    ]
    response = client.post(f"{API}/scans", data=json.dumps({"scans": entries}), content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    results = response.json["results"]
    assert [(r["status"], r.get("code")) for r in results] == [
        ("refused", "scanned_at_invalid"), ("refused", "scanned_at_invalid"), ("refused", "client_id_invalid"),
        ("refused", "malformed"), ("stored", None)]
    stored = db.session.scalar(select(Scan))
    assert (stored.client_id, stored.notes, stored.tags) == ("nul-notes", "abcd", ["xy", "z"])


def test_bodies_that_are_not_a_batch_are_refused_without_storing(app, client, make_stand, make_device, make_badge):
    stand = make_stand()
    _, token = make_device(stand)
    _, code = make_badge()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post(f"{API}/scans", data="{not json", headers=auth, content_type="application/json").status_code == 400
    assert client.post(f"{API}/scans", json={"scans": "nope"}, headers=auth).status_code == 400
    assert client.post(f"{API}/scans", json=[1, 2], headers=auth).status_code == 400
    app.config["LEADS_MAX_BATCH"], before = 3, app.config["LEADS_MAX_BATCH"]
    try:
        too_many = upload(client, token, [scan(code, f"c{i}") for i in range(4)])
    finally:
        app.config["LEADS_MAX_BATCH"] = before
    assert too_many.status_code == 413 and "3" in too_many.json["error"]
    assert count(Scan) == 0


def test_the_rate_limit_is_per_device_not_per_address(app, client, make_stand, make_device, make_badge,
                                                      minute_to_spare):
    stand = make_stand()
    _, first = make_device(stand, "Un")
    _, second = make_device(stand, "Deux")
    _, code = make_badge()
    app.config["LEADS_DEVICE_REQUESTS_PER_MINUTE"], before = 3, app.config["LEADS_DEVICE_REQUESTS_PER_MINUTE"]
    try:
        codes = [upload(client, first, [scan(code, f"a{i}")]).status_code for i in range(4)]
        other = upload(client, second, [scan(code, "b0")])
        limited = upload(client, first, [scan(code, "a9")], headers={"Accept-Language": "en"})
    finally:
        app.config["LEADS_DEVICE_REQUESTS_PER_MINUTE"] = before
    assert codes == [200, 200, 200, 429]
    assert other.status_code == 200  # same address, another device
    assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "per minute" in limited.json["error"]


def test_read_only_and_refused_requests_count_against_the_limit_too(app, client, make_stand, make_device,
                                                                   minute_to_spare):
    _, token = make_device(make_stand())
    bearer = {"Authorization": f"Bearer {token}"}
    app.config["LEADS_DEVICE_REQUESTS_PER_MINUTE"], before = 3, app.config["LEADS_DEVICE_REQUESTS_PER_MINUTE"]
    try:
        codes = [client.get(f"{API}/device", headers=bearer).status_code,
                 client.post(f"{API}/scans", data="not json", headers=bearer).status_code,
                 client.post(f"{API}/scans", json={"scans": "not a list"}, headers=bearer).status_code,
                 client.get(f"{API}/device", headers=bearer).status_code]
    finally:
        app.config["LEADS_DEVICE_REQUESTS_PER_MINUTE"] = before
    assert codes == [200, 400, 400, 429]


# -- consent -------------------------------------------------------------------------------------

def test_contact_details_follow_consent_and_a_withdrawal_counts_at_the_next_read(client, make_stand, make_device,
                                                                                make_badge):
    stand = make_stand()
    _, token = make_device(stand)
    sharing, sharing_code = make_badge(email="josee@nevers.fr", phone="+33 3 86 00 00 00")
    private, private_code = make_badge(email="prive@example.org", consent_share_contact=False)
    body = upload(client, token, [scan(sharing_code, "s"), scan(private_code, "p")]).json
    shared, hidden = (r["contact"] for r in body["results"])
    assert shared["shares_contact"] and shared["email"] == "josee@nevers.fr" and shared["phone"]
    assert not hidden["shares_contact"] and hidden["email"] is None and hidden["phone"] is None
    assert hidden["name"] and "prive@example.org" not in str(body)
    sharing.consent_share_contact = False
    db.session.commit()
    again = upload(client, token, [scan(sharing_code, "s")]).json["results"][0]["contact"]
    assert again["email"] is None and again["phone"] is None and again["name"] == shared["name"]


def test_a_scan_of_a_startup_member_of_another_edition_is_refused(client, make_stand, make_device, make_badge,
                                                                  make_event):
    stand = make_stand()
    _, token = make_device(stand)
    other = make_event(slug="edition-2028", name="Sommet 2028")
    _, code = make_badge(target=other, category=CategoryCode.VISITEUR)
    result = upload(client, token, [scan(code, "x")]).json["results"][0]
    assert result["status"] == "refused" and result["code"] == "other_event"


def test_stored_scans_leave_an_audit_row_with_the_device(client, make_stand, make_device, make_badge):
    stand = make_stand()
    device, token = make_device(stand)
    _, code = make_badge()
    upload(client, token, [scan(code, "a1"), scan(code, "a2")])
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "lead.scan"))
    assert entry.details == {"device_id": device.id, "stand_id": stand.id, "stored": 2} and entry.at is not None


def test_the_scanner_page_alone_may_compile_the_qr_readers_webassembly(client, event):
    scanner = client.get("/scan/")
    assert scanner.status_code == 200
    assert "script-src 'self' 'wasm-unsafe-eval'" in scanner.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in scanner.headers["Content-Security-Policy"]
    assert "wasm-unsafe-eval" not in client.get("/login").headers["Content-Security-Policy"]
    html = scanner.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html  # no inline script or style (CSP)
    wasm = client.get("/static/vendor/barcode-detector/zxing_reader.wasm")
    assert wasm.status_code == 200 and wasm.mimetype == "application/wasm" and wasm.data[:4] == b"\0asm"
    wasm.close()
    worker = client.get("/scan/sw.js")
    assert worker.mimetype == "text/javascript" and "caches" in worker.get_data(as_text=True)


def test_concurrent_uploads_of_the_same_scans_store_each_once(app, make_stand, make_device, make_badge):
    """Two devices of a stand re-sending overlapping batches at once (a retry during a slow answer)."""
    import threading

    stand = make_stand()
    tokens = [make_device(stand, f"Appareil {n}")[1] for n in range(2)]
    codes = [make_badge()[1] for _ in range(20)]
    batch = [scan(code, f"same-{i}") for i, code in enumerate(codes)]
    other_ids = [scan(code, f"other-{i}") for i, code in enumerate(codes)]  # same people, other scans
    statuses, problems = [], []

    def send(token, entries):
        try:
            response = upload(app.test_client(), token, entries)
            statuses.append(response.status_code)
            if response.status_code == 200:
                assert all(r["status"] in ("stored", "duplicate") for r in response.json["results"])
        except Exception as error:  # noqa: BLE001  (reported below, in the test's thread)
            problems.append(repr(error))

    threads = [threading.Thread(target=send, args=(tokens[n % 2], batch if n < 6 else other_ids)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert problems == [] and statuses == [200] * 8
    db.session.expire_all()
    assert count(Scan) == 40 and count(Lead) == 20
    assert sorted(db.session.scalars(select(Lead.num_scans))) == [2] * 20
