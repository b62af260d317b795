"""The published meetings in the personal calendar (R7): the `.ics` download and the subscription feed carry one
event per published meeting at a table (a meeting at a stand is the route's visit, labelled as a meeting), at the
right local hour with its VTIMEZONE, with a UID that stays the same across downloads and publications; nothing
before publishing; a meeting cancelled since shows as cancelled."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.extensions import db
from app.meetings.agenda.hooks import meeting_uid
from app.meetings.requests.models import RequestStatus
from app.core.urls import public_hostname
from app.program import feeds
from tests.conftest import login
from tests.meetings.agenda_world import build_agenda

START = datetime(2027, 6, 2, 12, 0)  # 14:00 in Paris


@pytest.fixture
def agenda(world):
    return build_agenda(world, START)


def public_hostname_of(app) -> str:
    with app.test_request_context():
        return public_hostname()


def vevents(body: bytes) -> dict[str, object]:
    return {str(c["UID"]): c for c in Calendar.from_ical(body).walk("VEVENT")}


def meetings_in(events: dict) -> dict:
    return {uid: e for uid, e in events.items() if uid.startswith("meeting-")}


def ics(app, registration, lang="en") -> bytes:
    client = app.test_client()
    login(client, registration.person)
    client.get(f"/lang/{lang}")
    response = client.get(f"/e/{registration.event.slug}/agenda.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return response.data


def test_an_event_per_published_meeting_at_its_local_hour_with_a_stable_uid(app, agenda):
    world = agenda.world
    body = ics(app, world.mayor)
    cal = Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = vevents(body)
    found = meetings_in(events)
    uid = meeting_uid(world.event.id, agenda.at_table.request_id, public_hostname_of(app))
    assert list(found) == [uid]  # at Table 3; the draft with the company is not published
    event = found[uid]
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Paris" and (start.dt.hour, start.dt.minute) == (14, 0)
    assert (event["DTEND"].dt.hour, event["DTEND"].dt.minute) == (14, 20)
    assert start.dt.astimezone(ZoneInfo("America/Montreal")).hour == 8  # June: Montréal is 6 h behind
    assert str(event["SUMMARY"]) == "Meeting: Sam Leroy (Capteurs du Morvan)"
    assert str(event["LOCATION"]) == "Table 3, meetings area"
    assert "Paul Girard" in str(event["DESCRIPTION"]) and str(event["STATUS"]) == "CONFIRMED"
    # The stand meeting is once in her calendar: her route's visit, labelled as the meeting it is.
    stand = [e for u, e in events.items() if "Zoé Blanc" in str(e["SUMMARY"])]
    assert len(stand) == 1 and str(stand[0]["UID"]).startswith(f"visit-{world.event.id}-d")
    assert str(stand[0]["SUMMARY"]) == "Meeting on request at stand A1: Zoé Blanc (Lumière Douce)"
    # Downloaded again, and through the subscription address: the same UIDs.
    assert list(meetings_in(vevents(ics(app, world.mayor)))) == [uid]
    token = feeds.current_token(world.mayor)
    db.session.commit()
    by_feed = vevents(app.test_client().get(f"/ical/{token.token}.ics").data)
    assert list(meetings_in(by_feed)) == [uid]
    assert (by_feed[uid]["DTSTART"].dt.hour, by_feed[uid]["DTSTART"].dt.minute) == (14, 0)


def test_the_startup_sees_the_meeting_at_its_stand_once_and_in_its_words(app, agenda):
    world = agenda.world
    events = vevents(ics(app, world.other_startup))
    assert meetings_in(events) == {}
    hosted = [e for u, e in events.items() if u.startswith("stand-visit-")]
    assert [str(e["SUMMARY"]) for e in hosted] == [
        "Meeting on request at your stand: Marie Lefèvre (Ville de Nevers)"]


def test_nothing_before_publishing_and_a_move_keeps_its_uid_with_a_higher_sequence(app, agenda):
    world = agenda.world
    placement = agenda.at_table
    published_at = placement.published_at
    placement.published_starts_at = placement.published_ends_at = placement.published_table_id = None
    db.session.commit()
    assert meetings_in(vevents(ics(app, world.startup))) == {}
    # Published, then moved to 15:40 and published again.
    placement.published_starts_at, placement.published_ends_at = START, START + timedelta(minutes=20)
    placement.published_table_id = placement.table_id
    db.session.commit()
    first = meetings_in(vevents(feeds.personal_ics(world.startup, "en")))
    placement.published_starts_at = START + timedelta(minutes=100)
    placement.published_ends_at = START + timedelta(minutes=120)
    placement.published_at = published_at + timedelta(hours=1)
    db.session.commit()
    second = meetings_in(vevents(feeds.personal_ics(world.startup, "en")))
    assert list(first) == list(second) == [meeting_uid(world.event.id, placement.request_id, public_hostname_of(app))]
    uid = list(second)[0]
    assert int(second[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    assert (second[uid]["DTSTART"].dt.hour, second[uid]["DTSTART"].dt.minute) == (15, 40)


def test_a_meeting_cancelled_since_it_was_published_comes_back_cancelled(app, agenda):
    world = agenda.world
    agenda.at_table.request.status = RequestStatus.CANCELLED
    db.session.commit()
    found = meetings_in(vevents(feeds.personal_ics(world.startup, "en")))
    assert [str(e["STATUS"]) for e in found.values()] == ["CANCELLED"]


def test_montreal_reads_the_right_hour_when_the_gap_is_five_hours(app, agenda):
    """Between Montréal's change of hour (7 November 2027) and Paris's (31 October), the gap is 5 hours."""
    world = agenda.world
    placement = agenda.company_table
    placement.published_starts_at = datetime(2027, 11, 3, 13, 0)  # 14:00 in Paris (winter time, UTC+1)
    placement.published_ends_at = placement.published_starts_at + timedelta(minutes=20)
    db.session.commit()
    body = feeds.personal_ics(world.company, "fr")
    assert [str(tz["TZID"]) for tz in Calendar.from_ical(body).walk("VTIMEZONE")] == ["Europe/Paris"]
    event = next(iter(meetings_in(vevents(body)).values()))
    assert (event["DTSTART"].dt.hour, event["DTSTART"].dt.minute) == (14, 0)
    assert event["DTSTART"].dt.astimezone(ZoneInfo("America/Montreal")).hour == 9
