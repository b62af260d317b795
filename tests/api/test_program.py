"""The published program through the API: what the public program page shows, never the organisers' draft."""
from __future__ import annotations

from sqlalchemy import select

from app.events.models import Event, EventStatus
from app.program.feeds import published_sessions
from app.program.models import ProgramSession, SessionKind
from tests.api.test_contract import error_of


def _all(api, path, token):
    seen, cursor = [], None
    while True:
        page = api.get(path + (f"?limit=50&cursor={cursor}" if cursor else "?limit=50"), token).get_json()
        seen += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_the_demo_summits_published_program(api, db, demo_summit, make_token):
    event = db.session.get(Event, demo_summit.event_id)
    token = make_token(event, ["program:read"])
    sessions = _all(api, f"/events/{event.slug}/sessions", token)
    published = published_sessions(event, include_cancelled=True)
    assert sorted(s["id"] for s in sessions) == sorted(s.id for s in published) and len(sessions) > 10
    one = next(s for s in published if s.published["speakers"])
    shown = api.get(f"/events/{event.slug}/sessions/{one.id}", token).get_json()
    assert shown["title_fr"] == one.published["title_fr"] and shown["starts_at"].endswith("Z")
    assert [s["registration_id"] for s in shown["speakers"]] == [s["registration_id"] for s in one.published["speakers"]]
    rooms = api.get(f"/events/{event.slug}/rooms", token).get_json()["data"]
    assert shown["room_id"] in {r["id"] for r in rooms}
    speakers = api.get(f"/events/{event.slug}/speakers", token).get_json()["data"]
    speaker = next(s for s in speakers if s["registration_id"] == one.published["speakers"][0]["registration_id"])
    assert one.id in speaker["session_ids"] and set(speaker) == {"registration_id", "name", "organisation", "session_ids"}
    assert not any("@" in str(value) for s in speakers for value in s.values())  # no e-mail address, anywhere


def test_drafts_stay_hidden_until_published(api, db, demo_summit, make_token):
    event = db.session.get(Event, demo_summit.event_id)
    token = make_token(event, ["program:read"])
    session = published_sessions(event)[0]
    title = session.published["title_fr"]
    session.title_fr = "Titre pas encore publié"  # an organiser's draft change
    draft = ProgramSession(event_id=event.id, kind=SessionKind.ATELIER, title_fr="Atelier en préparation",
                           starts_at=session.starts_at, ends_at=session.ends_at)
    db.session.add(draft)
    db.session.commit()
    listed = _all(api, f"/events/{event.slug}/sessions", token)
    assert draft.id not in {s["id"] for s in listed}
    assert next(s for s in listed if s["id"] == session.id)["title_fr"] == title
    hidden = api.get(f"/events/{event.slug}/sessions/{draft.id}", token)
    assert hidden.status_code == 404 and error_of(hidden)["code"] == "not_found"
    event.status = EventStatus.DRAFT  # the public program page is closed too
    db.session.commit()
    for path in ("sessions", f"sessions/{session.id}", "rooms", "speakers"):
        closed = api.get(f"/events/{event.slug}/{path}", token)
        assert closed.status_code == 404 and error_of(closed)["code"] == "program_not_published", path


def test_a_sync_reads_only_the_sessions_changed_since(api, db, demo_summit, make_token):
    event = db.session.get(Event, demo_summit.event_id)
    token = make_token(event, ["program:read"])
    latest = max(db.session.scalars(select(ProgramSession.updated_at).where(ProgramSession.event_id == event.id)))
    session = published_sessions(event)[3]
    session.published = {**session.published, "cancelled": True}
    db.session.commit()
    since = latest.isoformat(timespec="microseconds") + "Z"
    page = api.get(f"/events/{event.slug}/sessions?updated_since={since}", token).get_json()
    assert [(s["id"], s["cancelled"]) for s in page["data"] if s["id"] == session.id] == [(session.id, True)]
    assert len(page["data"]) < 5
