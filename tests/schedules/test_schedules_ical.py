"""iCal feeds (R7): parsed back with icalendar, times checked through the VTIMEZONE itself."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from schedules_builders import (
    ADA,
    JEAN,
    LYON,
    MONTREAL,
    PARIS,
    QUEBEC,
    ROOMS,
    at,
    session,
)

from schedules import ItineraryItem, personal_calendar, program_calendar

STAMP = datetime(2027, 5, 1, 12, tzinfo=UTC)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events_by_uid(cal: Calendar) -> dict:
    return {str(e["UID"]): e for e in cal.events}


def instant_through_vtimezone(cal: Calendar, prop) -> datetime:
    """The instant DTSTART names, using only the calendar's own VTIMEZONE (not the tz database)."""
    tzid = prop.params["TZID"]
    [vtimezone] = [tz for tz in cal.timezones if str(tz["TZID"]) == tzid]
    wall = prop.dt.replace(tzinfo=None)
    return wall.replace(tzinfo=vtimezone.to_tz(lookup_tzid=False)).astimezone(UTC)


def test_calendar_header():
    cal = parse(program_calendar(LYON, ROOMS, [session(1, at(PARIS, 2027, 6, 2, 10), at(PARIS, 2027, 6, 2, 11))], "fr", stamp=STAMP))
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//Médiane")
    assert str(cal["CALSCALE"]) == "GREGORIAN" and str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Médiane Lyon 2027 — Programme"
    assert str(cal["X-WR-TIMEZONE"]) == PARIS
    assert str(cal["X-PUBLISHED-TTL"]) == "PT6H" and cal["REFRESH-INTERVAL"].dt == timedelta(hours=6)


@pytest.mark.parametrize("event", [LYON, QUEBEC], ids=["lyon", "quebec"])
def test_every_tzid_has_its_vtimezone_covering_the_year(event):
    day = event.days[0]
    sessions = [session(1, at(event.tz, day.year, day.month, day.day, 10), at(event.tz, day.year, day.month, day.day, 11))]
    cal = parse(program_calendar(event, ROOMS, sessions, "fr", stamp=STAMP))
    used = {prop.params["TZID"] for e in cal.events for name in ("DTSTART", "DTEND") for prop in [e[name]]}
    assert used == {event.tz}
    assert {str(tz["TZID"]) for tz in cal.timezones} == used
    assert cal.get_missing_tzids() == set()
    [vtimezone] = cal.timezones
    # Real transitions of that year: one onset of summer time and one of winter time.
    onsets = {sub.name: sub["DTSTART"].dt for sub in vtimezone.subcomponents if sub["DTSTART"].dt.year == day.year and sub["DTSTART"].dt.month > 1}
    assert set(onsets) == {"DAYLIGHT", "STANDARD"}


@pytest.mark.parametrize(("day", "gap_hours", "montreal_hour"), [
    (date(2027, 6, 2), 6, 4),    # both on summer time
    (date(2027, 1, 14), 6, 4),   # both on winter time
    (date(2027, 3, 20), 5, 5),   # US/Canada moved on 14 March, the EU only on 28 March
    (date(2027, 11, 3), 5, 5),   # the EU moved back on 31 October, Canada only on 7 November
])
def test_paris_ten_oclock_shows_at_the_right_hour_in_montreal(day, gap_hours, montreal_hour):
    ten = datetime.combine(day, datetime.min.time().replace(hour=10))
    # The dates are checked, not trusted: the gap really is what the case says.
    gap = ten.replace(tzinfo=ZoneInfo(PARIS)).utcoffset() - ten.replace(tzinfo=ZoneInfo(MONTREAL)).utcoffset()
    assert gap == timedelta(hours=gap_hours)
    event = LYON.__class__(**{**LYON.__dict__, "days": (day,)})
    sessions = [session(1, at(PARIS, day.year, day.month, day.day, 10), at(PARIS, day.year, day.month, day.day, 11))]
    cal = parse(program_calendar(event, ROOMS, sessions, "fr", stamp=STAMP))
    [vevent] = cal.events
    dtstart = vevent["DTSTART"]
    assert dtstart.params["TZID"] == PARIS and dtstart.dt.hour == 10  # written as local wall time
    via_vtimezone = instant_through_vtimezone(cal, dtstart)
    assert via_vtimezone == dtstart.dt.astimezone(UTC)  # icalendar's own reading agrees
    in_montreal = via_vtimezone.astimezone(ZoneInfo(MONTREAL))
    assert (in_montreal.date(), in_montreal.hour) == (day, montreal_hour)


def test_quebec_edition_across_the_fall_back_weekend():
    sessions = [session(1, at(MONTREAL, 2027, 11, 6, 10), at(MONTREAL, 2027, 11, 6, 11)),
                session(2, at(MONTREAL, 2027, 11, 7, 10), at(MONTREAL, 2027, 11, 7, 11))]
    cal = parse(program_calendar(QUEBEC, ROOMS, sessions, "fr", stamp=STAMP))
    starts = {str(e["UID"]): instant_through_vtimezone(cal, e["DTSTART"]) for e in cal.events}
    assert starts == {"session-1@mediane.example.org": datetime(2027, 11, 6, 14, tzinfo=UTC),
                      "session-2@mediane.example.org": datetime(2027, 11, 7, 15, tzinfo=UTC)}


def test_uids_are_stable_and_sequence_follows_the_app():
    first = [session(1, at(PARIS, 2027, 6, 2, 10), at(PARIS, 2027, 6, 2, 11)), session(2, at(PARIS, 2027, 6, 2, 14), at(PARIS, 2027, 6, 2, 15))]
    moved = [first[0], session(2, at(PARIS, 2027, 6, 2, 16), at(PARIS, 2027, 6, 2, 17), sequence=3)]
    one = events_by_uid(parse(program_calendar(LYON, ROOMS, first, "fr", stamp=STAMP)))
    two = events_by_uid(parse(program_calendar(LYON, ROOMS, list(reversed(moved)), "fr", stamp=STAMP + timedelta(days=1))))
    assert set(one) == set(two) == {"session-1@mediane.example.org", "session-2@mediane.example.org"}
    assert int(one["session-2@mediane.example.org"]["SEQUENCE"]) == 0
    assert int(two["session-2@mediane.example.org"]["SEQUENCE"]) == 3
    assert two["session-2@mediane.example.org"]["DTSTART"].dt.hour == 16
    assert program_calendar(LYON, ROOMS, first, "fr", stamp=STAMP) == program_calendar(LYON, ROOMS, first, "fr", stamp=STAMP)


def test_cancelled_session_stays_with_status_cancelled():
    sessions = [session(1, at(PARIS, 2027, 6, 2, 10), at(PARIS, 2027, 6, 2, 11), cancelled=True, sequence=2),
                session(2, at(PARIS, 2027, 6, 2, 12), at(PARIS, 2027, 6, 2, 13))]
    cal = parse(program_calendar(LYON, ROOMS, sessions, "fr", stamp=STAMP))
    by_uid = events_by_uid(cal)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(by_uid["session-1@mediane.example.org"]["STATUS"]) == "CANCELLED"
    assert str(by_uid["session-2@mediane.example.org"]["STATUS"]) == "CONFIRMED"


def test_text_follows_the_language():
    sessions = [session(1, at(PARIS, 2027, 6, 2, 10), at(PARIS, 2027, 6, 2, 11), kind="atelier",
                        title_fr="Données ouvertes, villes; « moyennes »", title_en="Open data, mid-sized cities",
                        description_fr="Un atelier.\nDeux lignes.", description_en="A workshop.",
                        speakers=(ADA, JEAN), url="https://mediane.example.org/s/1")]
    fr = events_by_uid(parse(program_calendar(LYON, ROOMS, sessions, "fr", stamp=STAMP)))["session-1@mediane.example.org"]
    en = events_by_uid(parse(program_calendar(LYON, ROOMS, sessions, "en", stamp=STAMP)))["session-1@mediane.example.org"]
    assert str(fr["SUMMARY"]) == "Données ouvertes, villes; « moyennes »"
    assert str(en["SUMMARY"]) == "Open data, mid-sized cities"
    assert str(fr["DESCRIPTION"]) != str(en["DESCRIPTION"])
    assert "Un atelier.\nDeux lignes." in str(fr["DESCRIPTION"]) and "Intervenant·es" in str(fr["DESCRIPTION"])
    assert "Speakers: Ada Lovelace (Ville de Lyon), Jean Tremblay (Ville de Québec, moderator)" in str(en["DESCRIPTION"])
    assert "https://mediane.example.org/s/1" in str(en["DESCRIPTION"]) and str(en["URL"]) == "https://mediane.example.org/s/1"
    assert str(fr["LOCATION"]) == "Salle Rhône, Centre des congrès, Lyon"
    assert fr["CATEGORIES"].cats == ["atelier"]


def test_personal_calendar_with_visit_slots():
    sessions = [session(1, at(PARIS, 2027, 6, 2, 10), at(PARIS, 2027, 6, 2, 11), kind="atelier", room_id=2)]
    visits = [ItineraryItem("visit-7-1@mediane.example.org", "Stand Tramway+", at(PARIS, 2027, 6, 2, 14),
                            at(PARIS, 2027, 6, 2, 14, 20), "Hall 2, stand 14", "Rencontre", sequence=1),
              ItineraryItem("visit-7-2@mediane.example.org", "Stand Énergie", at(PARIS, 2027, 6, 2, 15),
                            at(PARIS, 2027, 6, 2, 15, 20), "Hall 2", "", cancelled=True)]
    cal = parse(personal_calendar(LYON, ROOMS, sessions, "fr", name="Camille Roy", extra_events=visits, stamp=STAMP))
    assert str(cal["X-WR-CALNAME"]) == "Médiane Lyon 2027 — Camille Roy"
    by_uid = events_by_uid(cal)
    assert set(by_uid) == {"session-1@mediane.example.org", "visit-7-1@mediane.example.org", "visit-7-2@mediane.example.org"}
    visit = by_uid["visit-7-1@mediane.example.org"]
    assert (str(visit["LOCATION"]), int(visit["SEQUENCE"]), visit["DTSTART"].params["TZID"]) == ("Hall 2, stand 14", 1, PARIS)
    assert str(by_uid["visit-7-2@mediane.example.org"]["STATUS"]) == "CANCELLED"
    assert cal.get_missing_tzids() == set()


def test_empty_program_is_still_a_valid_feed():
    cal = parse(program_calendar(LYON, ROOMS, [], "en", stamp=STAMP))
    assert cal.events == [] and [str(tz["TZID"]) for tz in cal.timezones] == [PARIS]
    assert str(cal["X-WR-CALNAME"]) == "Médiane Lyon 2027 — Programme"
