"""Properties of the scanner's batch, `POST /api/leads/v1/scans`, for any body (R2, R4, R9, issue 24).

For any list of scan objects with values of any type (or any JSON at all): the answer is a 2xx, or a 4xx
with a message, never a 5xx; the scans stored are exactly the valid ones whose client id the stand did not
have yet (once each, with the person of the first valid badge sent under that id); replaying the same body
stores nothing new.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.badging import services as badging
from app.core.timefmt import utcnow
from app.extensions import db
from app.leads.models import Lead, Scan
from tests.leads.conftest import API

CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
#: What the API documents: control characters other than tab and line breaks, and lone surrogates, are
#: dropped from notes and tags.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_NOTES, MAX_TAGS, MAX_TAG_LENGTH = 4000, 10, 40
SKEW = timedelta(minutes=10)  # how far ahead of the server a scanner's clock may be


@pytest.fixture
def scene(app, make_stand, make_device, make_badge, make_event, monkeypatch):
    """A stand with a paired device; live badges, a replaced one and one of another edition."""
    monkeypatch.setitem(app.config, "LEADS_DEVICE_REQUESTS_PER_MINUTE", 1_000_000)
    stand = make_stand()
    device, token = make_device(stand)
    live = {make_badge()[1]: None for _ in range(3)}
    replaced, old_code = make_badge()
    badging.reissue(replaced, actor_id=None)
    _, elsewhere = make_badge(target=make_event(slug="autre-edition"))
    db.session.commit()
    registrations = dict(db.session.execute(select(badging.BadgeToken.token, badging.BadgeToken.registration_id)
                                            .where(badging.BadgeToken.token.in_(list(live)))).all())
    return {"stand_id": stand.id, "token": token, "live": registrations, "codes": [*live, old_code, elsewhere],
            "start": utcnow()}


# -- What any JSON may hold ------------------------------------------------------------------------------------

#: Any text a JSON string may hold: controls, NUL, and lone surrogates (a "\ud800" escape) too.
any_text = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


def times(start: datetime) -> st.SearchStrategy:
    """Scan times around `start` (never within five minutes of the allowed skew, so that the time the test
    takes does not matter), in any time zone, and anything else."""
    def stamp(minutes: int, offset: int, style: str) -> str:
        zone = timezone(timedelta(hours=offset))
        moment = (start - timedelta(minutes=minutes)).replace(tzinfo=timezone.utc).astimezone(zone)
        text = moment.isoformat(timespec=style)
        return text.replace("+00:00", "Z") if offset == 0 and style == "seconds" else text
    return st.one_of(
        st.builds(stamp, st.integers(-60 * 24 * 3, 60 * 24 * 800).filter(lambda m: not -15 <= m <= -5),
                  st.integers(-12, 14),
                  st.sampled_from(["seconds", "milliseconds", "minutes"])),
        st.sampled_from(["2026-11-21T10:00:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-14:00",
                         "2027-06-02", "2027-06-02T09:15:00Z ", "", "2027-13-40T25:00Z", "x" * 41]),
        any_text, json_values)


def entries(codes: list[str], start: datetime) -> st.SearchStrategy:
    """Good scans (a pool of client ids, so that batches repeat each other), good scans with one field bent,
    scans with anything in every field, and JSON values that are no scan at all."""
    client_ids = st.one_of(st.sampled_from(["c1", "c2", "c3", "scan:1", "a.b-c_d"]),
                           st.from_regex(CLIENT_ID, fullmatch=True))
    good = st.fixed_dictionaries(
        {"client_id": client_ids, "code": st.sampled_from(codes),
         "scanned_at": st.builds(lambda m: (start - timedelta(minutes=m)).isoformat() + "Z", st.integers(0, 10**5))},
        optional={"notes": st.one_of(st.none(), any_text), "rating": st.one_of(st.none(), st.integers(0, 5)),
                  "tags": st.lists(st.text(max_size=12), max_size=3)})
    bad_client_ids = st.one_of(st.sampled_from(["", "c1\n", "c1 ", " c1", "x" * 65, "é"]), json_values)
    bad_codes = st.one_of(st.sampled_from(codes).map(lambda c: f"  {c}\n"), any_text, json_values,
                          st.sampled_from(["b_" + "A" * 32, "b_\x00x", "b_" + "A" * 70, "https://example.org/", "   "]))
    bent_values = {
        "client_id": bad_client_ids, "code": bad_codes, "scanned_at": times(start),
        "notes": st.one_of(any_text, st.just("n" * (MAX_NOTES + 1)), json_values),
        "rating": st.one_of(st.integers(-2, 7), st.booleans(), st.floats(), st.text(max_size=2), json_values),
        "tags": st.one_of(st.lists(any_text, max_size=12), st.lists(st.text(min_size=41), min_size=1, max_size=2),
                          json_values),
    }
    bent = st.tuples(good, st.sampled_from(sorted(bent_values))).flatmap(
        lambda pair: bent_values[pair[1]].map(lambda value: {**pair[0], pair[1]: value}))
    wild = st.fixed_dictionaries(
        {"client_id": st.one_of(client_ids, bad_client_ids), "code": st.one_of(st.sampled_from(codes), bad_codes),
         "scanned_at": times(start)},
        optional={"notes": bent_values["notes"], "rating": bent_values["rating"], "tags": bent_values["tags"],
                  "extra": json_values})
    return st.one_of(good, good, bent, bent, wild, json_values)


# -- The rules, as the API documents them ----------------------------------------------------------------------

def is_valid(entry: object, start: datetime) -> bool:
    """Whether the API must accept `entry`, sent just after `start`, as a scan (its badge aside)."""
    if not isinstance(entry, dict):
        return False
    client_id, code, scanned_at = entry.get("client_id"), entry.get("code"), entry.get("scanned_at")
    if not (isinstance(client_id, str) and CLIENT_ID.fullmatch(client_id)):
        return False
    if not (isinstance(code, str) and code.strip()):
        return False
    if not isinstance(scanned_at, str) or len(scanned_at) > 40:
        return False
    try:
        moment = datetime.fromisoformat(scanned_at.strip())
        if moment.tzinfo is None or moment.astimezone(timezone.utc).replace(tzinfo=None) > start + SKEW:
            return False
    except (ValueError, OverflowError):
        return False
    notes = entry.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        return False
    rating = entry.get("rating")
    if rating is not None and (type(rating) is not int or not 0 <= rating <= 5):
        return False
    tags = entry.get("tags")
    if tags is None:
        return True
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return False
    cleaned = [" ".join(INVISIBLE.sub("", t).split()) for t in tags]
    return all(len(t) <= MAX_TAG_LENGTH for t in cleaned) and len({t for t in cleaned if t}) <= MAX_TAGS


def expected_new(body: object, stored: dict[str, int], live: dict[str, int], start: datetime) -> dict[str, int]:
    """client id -> registration of the scans the body must add to the stand's `stored` ones."""
    scans = body.get("scans") if isinstance(body, dict) else None
    new: dict[str, int] = {}
    if not isinstance(scans, list):
        return new
    for entry in scans:
        if is_valid(entry, start) and entry["client_id"] not in stored and entry["client_id"] not in new:
            registration = live.get(entry["code"].strip())
            if registration is not None:
                new[entry["client_id"]] = registration
    return new


def stored_scans(stand_id: int) -> dict[str, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(Scan.client_id, Scan.registration_id).where(Scan.stand_id == stand_id)).all())


def post(client, token: str, body: object):
    # Sent as bytes: lone surrogates (valid JSON escapes, not valid text) reach the server as a client sends them.
    return client.post(f"{API}/scans", data=json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_any_batch_stores_exactly_its_valid_new_scans_once(client, scene, data):
    batches = st.lists(entries(scene["codes"], scene["start"]), max_size=8).map(lambda scans: {"scans": scans})
    body = data.draw(st.one_of(batches, batches, batches, json_values), label="body")
    before = stored_scans(scene["stand_id"])
    new = expected_new(body, before, scene["live"], scene["start"])
    response = post(client, scene["token"], body)
    assert response.status_code < 500, response.get_data(as_text=True)
    event(f"{response.status_code}, {min(len(new), 2)}+ stored")  # shown by --hypothesis-show-statistics
    after = stored_scans(scene["stand_id"])
    if response.status_code >= 400:
        assert response.json["error"] and not new and after == before
        return
    assert response.status_code == 200 and response.json["stored"] == len(new)
    assert after == {**before, **new}
    assert len(response.json["results"]) == len(body["scans"])
    for result in response.json["results"]:
        assert result["status"] in ("stored", "updated", "duplicate") or result["error"]
    leads = db.session.execute(select(Lead.registration_id, Lead.num_scans).where(Lead.stand_id == scene["stand_id"]))
    counts = {registration: num for registration, num in leads}
    assert counts == {r: list(after.values()).count(r) for r in set(after.values())}  # one contact per person
    replay = post(client, scene["token"], body)
    assert replay.status_code == 200 and replay.json["stored"] == 0
    assert stored_scans(scene["stand_id"]) == after
