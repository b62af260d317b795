"""The organiser's placement pages: the grid, a move refused with its reason, a valid move, lock, publish."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.meetings.placement import placing
from app.meetings.placement.availability import ROUTE, busy_of
from app.meetings.placement.models import MeetingPlacement
from tests.conftest import login
from tests.meetings.placement_world import build


@pytest.fixture
def pw(event, make_registration):
    w = build(event, make_registration)
    placing.place_all(w.event, time_limit=2, actor_id=None)
    return w


@pytest.fixture
def organiser_client(client, pw, make_organiser):
    login(client, make_organiser(pw.event))
    return client


def placement_of(request) -> MeetingPlacement:
    return db.session.scalar(select(MeetingPlacement).where(MeetingPlacement.request_id == request.id))


def test_the_page_shows_the_grid_the_stands_and_the_unplaced(organiser_client, pw):
    page = organiser_client.get(f"/manage/e/{pw.event.slug}/meetings/placement/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:2000]
    assert 'data-testid="grid-2027-06-02"' in html and "Lucie Martin" in html
    assert html.count('data-testid="cell"') == 4


def test_a_move_onto_the_mayors_route_is_refused_naming_her_route(organiser_client, pw):
    meeting = placement_of(pw.meetings["company_mayor"])
    route = next(b for b in busy_of(pw.event, [pw.mayor.id])[pw.mayor.id] if b.kind == ROUTE)
    slot = route.starts_at.replace(minute=(route.starts_at.minute // 20) * 20)
    before = (meeting.starts_at, meeting.table_id)
    url = f"/manage/e/{pw.event.slug}/meetings/placement/{meeting.id}/move"
    response = organiser_client.submit(url, {"slot": slot.isoformat(timespec="minutes"), "table": meeting.table_id})
    html = response.get_data(as_text=True)
    print(html[html.find("move-refused"):][:400])
    assert response.status_code == 422
    assert "Marie Lefèvre suit son parcours de visite de" in html
    db.session.expire_all()
    assert (placement_of(pw.meetings["company_mayor"]).starts_at, meeting.table_id) == before


def test_the_page_reads_in_english_too(organiser_client, pw):
    organiser_client.get("/lang/en?next=/")
    html = organiser_client.get(f"/manage/e/{pw.event.slug}/meetings/placement/").get_data(as_text=True)
    assert "Place all meetings" in html and "No common free slot: in no slot of the meeting sessions" in html
    assert "Tables, Wednesday 2 June" in html


def test_a_move_to_a_free_slot_is_stored_and_locked_and_a_bad_one_changes_nothing(organiser_client, pw):
    meeting = placement_of(pw.meetings["other_startup"])
    url = f"/manage/e/{pw.event.slug}/meetings/placement/{meeting.id}/move"
    for data in ({"slot": "2027-06-02T11:05", "table": meeting.table_id}, {"slot": "soon", "table": meeting.table_id},
                 {"slot": meeting.starts_at.isoformat(timespec="minutes"), "table": 999999}):
        assert organiser_client.submit(url, data).status_code == 422
    db.session.expire_all()
    assert not placement_of(pw.meetings["other_startup"]).locked
    lock = f"/manage/e/{pw.event.slug}/meetings/placement/{meeting.id}/lock"
    assert organiser_client.submit(lock, {"locked": "1"}).status_code == 302
    db.session.expire_all()
    assert placement_of(pw.meetings["other_startup"]).locked
    assert organiser_client.submit(url, {"slot": meeting.starts_at.isoformat(timespec="minutes"),
                                         "table": meeting.table_id}).status_code == 409
    assert organiser_client.submit(lock, {"locked": "maybe"}).status_code == 422
    assert organiser_client.get(f"/manage/e/{pw.event.slug}/meetings/placement/999999").status_code == 404
