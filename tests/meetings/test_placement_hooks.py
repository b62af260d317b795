"""What the placement tells the demonstrator: the stand meetings as required visits (their window: where both sides
are there), the meetings at tables as busy times of the tours."""
from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.meetings.placement import hooks, placing
from app.meetings.placement.models import MeetingPlacement
from app.program import services as program
from app.program.models import SessionKind, SpeakerRole
from tests.meetings.placement_world import build, utc


@pytest.fixture
def pw(event, make_registration):
    return build(event, make_registration)


def at(h: int, m: int = 0) -> datetime:
    return datetime(2027, 6, 2, h, m)


def test_the_window_spans_the_run_with_the_most_free_time():
    assert hooks.best_window([(at(10), at(11)), (at(14), at(15))], []) == (at(10), at(15))
    # Broken where the startup is away: the longer run wins, the earlier of equal ones.
    assert hooks.best_window([(at(10), at(11)), (at(14), at(16))], [(at(11), at(11, 30))]) == (at(14), at(16))
    assert hooks.best_window([(at(10), at(11)), (at(14), at(15))], [(at(12), at(13))]) == (at(10), at(11))
    assert hooks.best_window([], [(at(12), at(13))]) is None


def placement_of(request) -> MeetingPlacement:
    return db.session.scalar(select(MeetingPlacement).where(MeetingPlacement.request_id == request.id))


def test_a_stand_meeting_keeps_clear_of_the_startups_session(pw):
    day1 = pw.event.starts_on
    room = program.save_room(pw.event, program.RoomInput(name="Agora", capacity=80), actor_id=None)
    program.save_session(pw.event, program.SessionInput(
        kind=SessionKind.CONFERENCE, title_fr="Pitchs", title_en="Pitches", day=day1, start=time(14, 0),
        end=time(14, 50), room_id=room.id, speakers=[(pw.startups[0].id, SpeakerRole.INTERVENANT)]), actor_id=None)
    db.session.commit()
    [wanted] = [v for v in hooks.required_visits(pw.event) if v.startup_id == pw.startups[0].id]
    assert wanted.starts_after >= utc(day1, "15:00")  # the session and its ten minutes to leave the room
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    assert placement_of(pw.meetings["stand_mayor"]).starts_at >= utc(day1, "15:00")


def test_a_startup_that_does_not_come_on_its_stands_day_meets_nobody_there(pw):
    pw.startups[0].days = [pw.event.days[1].isoformat()]
    db.session.commit()
    [wanted] = [v for v in hooks.required_visits(pw.event) if v.startup_id == pw.startups[0].id]
    assert wanted.starts_after == wanted.ends_before
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    meeting = placement_of(pw.meetings["stand_mayor"])
    assert meeting.stand_id is None and meeting.table_id is not None  # at a table on day 2, when both are there
    assert meeting.starts_at.date() == pw.event.days[1]


def test_meetings_at_tables_are_the_tours_busy_times(pw):
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    table = placement_of(pw.meetings["company_mayor"])
    busy = hooks.busy_at_tables(pw.event, [pw.mayor.id, pw.startups[0].id])
    assert (table.starts_at, table.ends_at) in busy[pw.mayor.id]
    assert pw.startups[0].id not in busy  # its meeting is at its stand: a visit of the routes, not a busy time
