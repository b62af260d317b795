"""The marks of the day: either side says a meeting was held or the other did not come, from her phone; her
delegation's coordinator or an organiser may say it for her; anyone else gets a 404; bad input is refused with a
clear message and stores nothing; the startup's scan of the other side's badge marks it held (source scan)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.badging import services as badging
from app.core.timefmt import to_local, utcnow
from app.extensions import db
from app.leads import devices as lead_devices
from app.leads import recording
from app.meetings.agenda import marks
from app.meetings.errors import Conflict
from app.meetings.placement.models import Mark, MarkSource, MeetingMark, MeetingPlacement
from app.meetings.requests.models import Side
from tests.conftest import login
from tests.meetings.agenda_world import build_agenda


@pytest.fixture
def event(make_event):
    """An edition on now (its hall's bookings and meetings around this hour)."""
    today = to_local(utcnow(), "Europe/Paris").date()
    return make_event(starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=2))


@pytest.fixture
def agenda(world):
    """The table meeting started an hour ago, the stand meeting is on now, the company's meeting is to come."""
    return build_agenda(world, utcnow().replace(second=0, microsecond=0) - timedelta(hours=1))


def signed_in(app, registration=None, person=None):
    client = app.test_client()
    login(client, person or registration.person)
    client.get("/lang/en")
    return client


def marks_of(placement) -> list[tuple[str, str, str]]:
    rows = db.session.scalars(select(MeetingMark).where(MeetingMark.placement_id == placement.id)
                              .order_by(MeetingMark.side)).all()
    return [(m.side.value, m.mark.value, m.source.value) for m in rows]


def mark_url(agenda, placement) -> str:
    return f"/e/{agenda.world.event.slug}/meetings/schedule/{placement.id}/mark"


def test_each_side_marks_from_her_schedule_and_the_other_sees_it(app, agenda):
    world = agenda.world
    mayor = signed_in(app, world.mayor)
    response = mayor.submit(mark_url(agenda, agenda.at_table), {"mark": "held"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#p{agenda.at_table.id}")
    assert marks_of(agenda.at_table) == [("recipient", "held", "web")]
    startup = signed_in(app, world.startup)
    html = startup.get(f"/e/{world.event.slug}/meetings/schedule").get_data(as_text=True)
    assert 'data-state="held"' in html and "Held, says Marie Lefèvre (Ville de Nevers), Paul Girard" in html
    agenda_page = startup.get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    assert 'data-testid="agenda-state">Held<' in agenda_page
    # The startup's own word, and a second mark that replaces her first.
    startup.submit(mark_url(agenda, agenda.at_table), {"mark": "no_show"})
    startup.submit(mark_url(agenda, agenda.at_table), {"mark": "held"})
    assert marks_of(agenda.at_table) == [("recipient", "held", "web"), ("requester", "held", "web")]


def test_a_member_brought_along_and_the_coordinator_speak_for_their_side(app, agenda):
    world = agenda.world
    deputy = signed_in(app, world.deputy)
    assert deputy.submit(mark_url(agenda, agenda.at_table), {"mark": "no_show"}).status_code == 302
    assert marks_of(agenda.at_table) == [("recipient", "no_show", "web")]
    # The mayor coordinates the delegation: she says it for her director, whose meeting she is not in.
    agenda.company_table.published_starts_at -= timedelta(hours=3)
    db.session.commit()
    mayor = signed_in(app, world.mayor)
    assert mayor.submit(mark_url(agenda, agenda.company_table), {"mark": "held"}).status_code == 302
    mark = db.session.scalar(select(MeetingMark).where(MeetingMark.placement_id == agenda.company_table.id))
    assert (mark.side, mark.mark, mark.marked_by_id) == (Side.RECIPIENT, Mark.HELD, world.mayor.person_id)


def test_an_organiser_marks_either_side(app, agenda, make_organiser):
    world = agenda.world
    client = signed_in(app, person=make_organiser(world.event))
    url = f"/manage/e/{world.event.slug}/meetings/day/{agenda.at_table.id}/mark"
    assert client.submit(url, {"mark": "no_show", "side": "requester"}).status_code == 302
    assert marks_of(agenda.at_table) == [("requester", "no_show", "web")]
    html = client.get(f"/manage/e/{world.event.slug}/meetings/day").get_data(as_text=True)
    assert '<div class="stat" data-testid="figure-planned">3</div>' in html
    assert '<div class="stat" data-testid="figure-no-show">1</div>' in html
    assert client.submit(url, {"mark": "held"}).status_code == 422  # whose word: an organiser says it
    assert marks_of(agenda.at_table) == [("requester", "no_show", "web")]


def test_a_stranger_gets_404_and_bad_input_a_clear_refusal_and_nothing_is_stored(app, agenda):
    world = agenda.world
    visitor = signed_in(app, world.visitor)
    response = visitor.submit(mark_url(agenda, agenda.at_table), {"mark": "held"})
    assert response.status_code == 404 and "not one of yours" in response.get_data(as_text=True)
    startup = signed_in(app, world.startup)
    cases = [({"mark": "maybe"}, 422, "held or the other side did not come"),
             ({}, 422, "held or the other side did not come"),
             ({"mark": "held", "side": "both"}, 422, "choose one of the two sides"),
             ({"mark": "held", "side": "recipient"}, 403, "cannot speak for that side")]
    for data, status, text in cases:
        response = startup.submit(mark_url(agenda, agenda.at_table), data)
        assert response.status_code == status and text in response.get_data(as_text=True), data
    # A draft, another edition's id, a meeting not started yet.
    assert startup.submit(mark_url(agenda, agenda.draft), {"mark": "held"}).status_code == 404
    assert startup.submit(f"/e/{world.event.slug}/meetings/schedule/99999/mark", {"mark": "held"}).status_code == 404
    agenda.at_table.published_starts_at = utcnow() + timedelta(hours=2)
    db.session.commit()
    response = startup.submit(mark_url(agenda, agenda.at_table), {"mark": "held"})
    assert response.status_code == 409 and "not started yet" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MeetingMark)) == 0


def test_the_service_refuses_a_mark_before_the_start(agenda):
    world = agenda.world
    with pytest.raises(Conflict):
        marks.mark_meeting(world.event, agenda.at_table.id, mark="held", side=None, actor=world.mayor.person,
                           now=agenda.at_table.published_starts_at - timedelta(minutes=1))


def _scan(stand, person, at, client_id="s-1"):
    device, _token = lead_devices.pair(lead_devices.start_pairing(stand, "Téléphone", actor_id=None).code)
    return recording.record_scans(device, [{"client_id": client_id, "scanned_at": at.isoformat() + "Z",
                                            "code": badging.current_token(person).token}])


def test_the_startups_scan_of_the_other_side_marks_it_held(agenda):
    world = agenda.world
    at = agenda.at_table.published_starts_at + timedelta(minutes=5)
    results = _scan(world.startup, world.deputy, at)  # the deputy came along: the other side
    assert results[0].status == "stored"
    placement = db.session.get(MeetingPlacement, agenda.at_table.id, populate_existing=True)
    assert marks_of(placement) == [("requester", "held", "scan")]
    assert placement.marks[0].marked_at == at and placement.marks[0].marked_by_id is None


def test_a_scan_at_another_time_or_of_someone_else_marks_nothing_and_never_replaces_a_word(agenda):
    world = agenda.world
    start = agenda.at_table.published_starts_at
    _scan(world.startup, world.mayor, start - timedelta(hours=2), "early")
    _scan(world.startup, world.visitor, start + timedelta(minutes=5), "stranger")
    assert marks_of(agenda.at_table) == []
    marks.mark_meeting(world.event, agenda.at_table.id, mark="no_show", side=None, actor=world.startup.person)
    _scan(world.startup, world.mayor, start + timedelta(minutes=5), "late-scan")
    assert marks_of(db.session.get(MeetingPlacement, agenda.at_table.id, populate_existing=True)) == [
        ("requester", "no_show", "web")]


def test_a_stand_meeting_is_marked_held_by_the_stands_scan(agenda):
    world = agenda.world
    _scan(world.other_startup, world.mayor, agenda.at_stand.published_starts_at + timedelta(minutes=2))
    placement = db.session.get(MeetingPlacement, agenda.at_stand.id, populate_existing=True)
    assert [(m.side, m.mark, m.source) for m in placement.marks] == [(Side.RECIPIENT, Mark.HELD, MarkSource.SCAN)]
