"""JSON bodies are read one way: bounded in size and depth, finite numbers, no control characters, each refusal a
4xx with a message; a JSON body sent to a form is refused, not read as the form."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.core.jsonbody import MAX_DEPTH, depth_of
from app.extensions import db
from app.leads import devices
from app.leads.models import Device, Scan
from tests.conftest import login
from tests.leads.conftest import API, make_badge, make_stand, now_iso, scan  # noqa: F401  (fixtures)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_depth_is_counted_without_parsing_and_strings_do_not_count():
    assert depth_of('{"a": [1, {"b": []}]}') == 4
    assert depth_of('{"a": "[[[[{{{{\\"]]]"}') == 1
    assert depth_of("[" * 5000 + "]" * 5000) == 5000
    assert depth_of("12") == 0


@pytest.fixture
def paired(client, make_stand):
    stand = make_stand()
    code = devices.start_pairing(stand, "Tablette", actor_id=None).code
    token = client.post(f"{API}/pair", json={"code": code}).json["token"]
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


@pytest.mark.parametrize("body, status, words", [
    ("[" * 5000 + "]" * 5000, 400, f"nested too deeply (more than {MAX_DEPTH} levels)"),
    ('{"scans": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}", 400, "nested too deeply"),
    ('{"scans": [', 400, "not valid JSON"),
    ('{"scans": [{"rating": NaN}]}', 400, "not valid JSON"),
    ('{"scans": [{"rating": 1e400}]}', 400, "not valid JSON"),
    ('{"scans": [{"rating": ' + "9" * 5000 + "}]}", 400, "not valid JSON"),
    ("", 400, "must be JSON"),
    (b"\xff\xfe{}", 400, "must be JSON in UTF-8"),
])
def test_the_scanner_api_refuses_a_body_it_cannot_read_with_a_message(client, paired, body, status, words):
    response = client.post(f"{API}/scans", data=body, content_type="application/json", headers=paired)
    assert response.status_code == status
    assert words in response.json["error"]
    assert count(Scan) == 0


def test_the_scanner_judges_control_characters_scan_by_scan(client, paired, make_badge):
    """The one JSON endpoint that reads a batch: a scan is never lost for an invisible character in its notes
    (they are cleaned), where any other JSON body with one is refused naming the field (the pairing, below)."""
    _registration, code = make_badge()
    body = {"scans": [scan(code, "c-1", notes="Rappeler\x00 lundi")]}
    response = client.post(f"{API}/scans", json=body, headers=paired)
    assert response.status_code == 200 and response.json["stored"] == 1
    assert db.session.scalar(select(Scan.notes)) == "Rappeler lundi"


def test_a_body_past_the_size_limit_is_refused(app, client, paired, monkeypatch):
    monkeypatch.setitem(app.config, "JSON_MAX_BYTES", 1024)
    response = client.post(f"{API}/scans", json={"scans": [], "pad": "x" * 2000}, headers=paired)
    assert response.status_code == 413 and "too large (at most 1 kB)" in response.json["error"]


@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000, '{"code": ' + "[" * 100 + "]" * 100 + "}",
                                  '{"code": "ABCD\\u001bEFGH"}', "[1, 2]"])
def test_pairing_refuses_what_it_cannot_read(client, make_stand, body):
    devices.start_pairing(make_stand(), "Tablette", actor_id=None)
    response = client.post(f"{API}/pair", data=body, content_type="application/json",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400 and response.json["error"]
    assert count(Device) == 0


def test_a_control_character_in_a_json_body_is_refused_naming_the_field(client, make_stand):
    devices.start_pairing(make_stand(), "Tablette", actor_id=None)
    response = client.post(f"{API}/pair", json={"code": "ABCD\x1bEFGH"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json["code"] == "control_character" and response.json["field"] == "code"
    assert response.json["error"] == "“code” contains a control character (U+001B): remove it and send again."
    assert count(Device) == 0


@pytest.mark.parametrize("scanned_at", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_scan_time_past_what_a_date_can_hold_is_refused_in_the_batch(client, paired, make_badge, scanned_at):
    _registration, code = make_badge()
    response = client.post(f"{API}/scans", json={"scans": [scan(code, "c-2", scanned_at=scanned_at)]},
                           headers=paired)
    assert response.status_code == 200
    assert response.json["refused"] == 1 and response.json["results"][0]["code"] == "scanned_at_invalid"


@pytest.mark.parametrize("body", ["[1, 2, 3]", '"text"', "[" * 5000 + "]" * 5000, '{"first_name": {"a": 1}}'])
def test_a_form_refuses_a_json_body_even_with_its_csrf_token(client, event, make_organiser, body):
    login(client, make_organiser(event))
    token = client.csrf_token()
    for url in (f"/manage/e/{event.slug}/program/rooms", f"/e/{event.slug}/register/visiteur", "/login"):
        response = client.post(url, data=body, content_type="application/json",
                               headers={"X-CSRFToken": token, "Accept-Language": "en"})
        assert response.status_code == 415, url
        assert "This address takes a form, not JSON." in response.get_data(as_text=True)


def test_the_scanner_still_stores_a_good_batch(client, paired, make_badge):
    _registration, code = make_badge()
    response = client.post(f"{API}/scans", data=json.dumps({"scans": [scan(code, "c-3", scanned_at=now_iso())]}),
                           content_type="application/json", headers=paired)
    assert response.status_code == 200 and response.json["stored"] == 1
