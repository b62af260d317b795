"""iCalendar feeds of the program (R7): local times with their VTIMEZONE, stable UIDs.

Every DTSTART/DTEND is written in the edition's zone (TZID=event.tz) and the calendar
carries a VTIMEZONE for that zone, built by icalendar from the tz database
(`Timezone.from_tzid`) with the real transitions from 1 January of the first year used
to 1 January after the last one. Cancelled sessions stay in the feed with
STATUS:CANCELLED so that subscribed calendars drop them; METHOD stays PUBLISH.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, Timezone

from schedules.localize import (
    KIND_LABELS,
    WORDS,
    local,
    location,
    normalize_lang,
    require_aware,
    room_index,
    speaker_line,
)
from schedules.model import EventInfo, ItineraryItem, Room, Session

PRODID = "-//Médiane//Programme//FR"
REFRESH = timedelta(hours=6)


def program_calendar(event: EventInfo, rooms: Sequence[Room], sessions: Sequence[Session], lang: str,
                     *, stamp: datetime | None = None) -> bytes:
    """The whole published program as one feed (cancelled sessions marked CANCELLED).

    `stamp` (DTSTAMP, aware) defaults to now; tests pass one to get stable bytes.
    """
    lang = normalize_lang(lang)
    title = f"{event.name} — {WORDS[lang]['program']}"
    return _calendar(event, rooms, sessions, lang, title, (), stamp)


def personal_calendar(event: EventInfo, rooms: Sequence[Room], sessions: Sequence[Session], lang: str,
                      *, name: str, extra_events: Sequence[ItineraryItem] = (),
                      stamp: datetime | None = None) -> bytes:
    """One attendee's agenda: the sessions the app chose for them plus visit-route slots."""
    lang = normalize_lang(lang)
    title = f"{event.name} — {name}" if name else event.name
    return _calendar(event, rooms, sessions, lang, title, extra_events, stamp)


def session_uid(event: EventInfo, session_id: int) -> str:
    return f"session-{session_id}@{event.uid_domain}"


def _calendar(event, rooms, sessions, lang, title, extra_events, stamp) -> bytes:
    stamp = stamp or datetime.now(UTC)
    require_aware(stamp, "stamp")
    stamp = stamp.astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    cal.add("name", title)
    cal.add("x-wr-timezone", event.tz)
    # How often subscribed clients should fetch the feed again (RFC 7986, and Outlook's name for it).
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    by_room = room_index(rooms)
    moments: list[datetime] = []
    events: list[Event] = []
    for session in sorted(sessions, key=lambda s: (s.start, s.id)):
        require_aware(session.start, f"session {session.id} start")
        require_aware(session.end, f"session {session.id} end")
        if session.end <= session.start:
            continue  # not a valid event (RFC 5545 wants DTEND after DTSTART); find_conflicts reports it
        room = by_room.get(session.room_id) if session.room_id is not None else None
        events.append(_session_event(event, session, room, lang, stamp))
        moments += [session.start, session.end]
    for item in sorted(extra_events, key=lambda i: (i.start, i.uid)):
        require_aware(item.start, f"itinerary item {item.uid} start")
        require_aware(item.end, f"itinerary item {item.uid} end")
        if item.end <= item.start:
            continue
        events.append(_item_event(event, item, stamp))
        moments += [item.start, item.end]
    cal.add_component(_vtimezone(event, moments, stamp))  # before the events, as most clients expect
    for vevent in events:
        cal.add_component(vevent)
    return cal.to_ical()


def _vtimezone(event: EventInfo, moments: list[datetime], stamp: datetime) -> Timezone:
    years = [local(m, event.tz).year for m in moments] or [d.year for d in event.days] or [stamp.year]
    return Timezone.from_tzid(event.tz, first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1))


def _session_event(event: EventInfo, session: Session, room: Room | None, lang: str, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", session_uid(event, session.id))
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", session.sequence)
    vevent.add("dtstart", local(session.start, event.tz))
    vevent.add("dtend", local(session.end, event.tz))
    vevent.add("summary", session.title(lang))
    place = location(event, room)
    if place:
        vevent.add("location", place)
    vevent.add("description", _description(session, lang))
    vevent.add("categories", [session.kind])
    vevent.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    if session.url:
        vevent.add("url", session.url)
    return vevent


def _description(session: Session, lang: str) -> str:
    words = WORDS[lang]
    parts = [KIND_LABELS[lang].get(session.kind, session.kind)]
    if session.description(lang):
        parts.append(session.description(lang))
    if session.speakers:
        parts.append(f"{words['speakers']} : {speaker_line(session, lang)}" if lang == "fr"
                     else f"{words['speakers']}: {speaker_line(session, lang)}")
    if session.url:
        parts.append(f"{words['more']} : {session.url}" if lang == "fr" else f"{words['more']}: {session.url}")
    return "\n\n".join(parts)


def _item_event(event: EventInfo, item: ItineraryItem, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", item.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", item.sequence)
    vevent.add("dtstart", local(item.start, event.tz))
    vevent.add("dtend", local(item.end, event.tz))
    vevent.add("summary", item.title)
    if item.location:
        vevent.add("location", item.location)
    if item.description:
        vevent.add("description", item.description)
    vevent.add("categories", ["visite"])
    vevent.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return vevent
