"""frab schedule exports: schedule.xml and the c3voc schedule.json shape.

Both are rendered from one list of plain event records, so they always agree.
Choices:
- cancelled sessions and sessions whose end is not after their start are left out;
- a session belongs to the edition day of its local start date; a session starting on
  a date that is not an edition day still appears, under an extra day for its date
  (find_conflicts reports it as outside_edition) rather than vanishing silently;
- sessions without a room (or with a room id the app did not pass) are listed under
  the pseudo-room `NO_ROOM` ("—"), placed after the real rooms;
- a day runs from local midnight to the next local midnight;
- `language` is the program's language ("fr": the summit is French-speaking); the
  title is given in `lang` and the other language's title, when different, as subtitle.
"""
from __future__ import annotations

import math
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from schedules.localize import (
    day_bounds,
    hhmm,
    local,
    normalize_lang,
    require_aware,
    room_index,
)
from schedules.model import EventInfo, Room, Session

NO_ROOM = "—"
SPOKEN_LANGUAGE = "fr"


def frab_xml(event: EventInfo, rooms: Sequence[Room], sessions: Sequence[Session], *,
             version: str, base_url: str = "", lang: str = "fr") -> bytes:
    """A well-formed frab `<schedule>` document, UTF-8 with an XML declaration."""
    data = _schedule(event, rooms, sessions, version=version, base_url=base_url, lang=lang)
    conf = data["conference"]
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name="mediane-schedules", version="1")
    _text(root, "version", data["version"])
    conference = ET.SubElement(root, "conference")
    for tag, value in (("acronym", conf["acronym"]), ("title", conf["title"]), ("start", conf["start"]),
                       ("end", conf["end"]), ("days", conf["daysCount"]),
                       ("timeslot_duration", conf["timeslot_duration"]), ("base_url", data["base_url"]),
                       ("time_zone_name", conf["time_zone_name"])):
        _text(conference, tag, value)
    guids = {room["name"]: room["guid"] for room in conf["rooms"]}
    for day in conf["days"]:
        day_el = ET.SubElement(root, "day", index=str(day["index"]), date=day["date"],
                               start=day["day_start"], end=day["day_end"])
        for room_name, records in day["rooms"].items():
            room_el = ET.SubElement(day_el, "room", name=_NOT_XML.sub("", room_name), guid=guids[room_name])
            for record in records:
                _event_xml(room_el, record)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def frab_json(event: EventInfo, rooms: Sequence[Room], sessions: Sequence[Session], *,
              version: str, base_url: str = "", lang: str = "fr") -> dict:
    """The c3voc schedule.json shape, as a dict ready for `json.dumps`."""
    return {"schedule": _schedule(event, rooms, sessions, version=version, base_url=base_url, lang=lang)}


def session_guid(event: EventInfo, session_id: int) -> str:
    """A stable UUID5 for a session, from the same name as its iCal UID."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"session-{session_id}.{event.uid_domain}"))


def room_guid(event: EventInfo, room_name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"room:{event.uid_domain}:{room_name}"))


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _schedule(event, rooms, sessions, *, version, base_url, lang) -> dict:
    lang = normalize_lang(lang)
    by_room = room_index(rooms)
    kept = []
    for session in sessions:
        require_aware(session.start, f"session {session.id} start")
        require_aware(session.end, f"session {session.id} end")
        if not session.cancelled and session.end > session.start:
            kept.append(session)
    kept.sort(key=lambda s: (s.start, s.id))
    room_order = [room.name for room in rooms]
    per_day: dict[date, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for session in kept:
        room = by_room.get(session.room_id) if session.room_id is not None else None
        room_name = room.name if room else NO_ROOM
        start = local(session.start, event.tz)
        per_day[start.date()][room_name].append(_record(event, session, room_name, lang))
    if any(NO_ROOM in day for day in per_day.values()):
        room_order.append(NO_ROOM)
    all_days = sorted(set(event.days) | set(per_day))
    days = []
    for index, day in enumerate(all_days, start=1):
        start, end = day_bounds(day, event.tz)
        by_name = per_day.get(day, {})
        days.append({"index": index, "date": day.isoformat(), "day_start": start.isoformat(),
                     "day_end": end.isoformat(),
                     "rooms": {name: by_name[name] for name in room_order if name in by_name}})
    conference = {
        "acronym": event.slug, "title": event.name,
        "start": all_days[0].isoformat() if all_days else "",
        "end": all_days[-1].isoformat() if all_days else "",
        "daysCount": len(all_days), "timeslot_duration": _timeslot(event, kept),
        "time_zone_name": event.tz,
        "rooms": [{"name": name, "guid": room_guid(event, name)} for name in dict.fromkeys(room_order)],
        "days": days,
    }
    if event.url:
        conference["url"] = event.url
    return {"version": version, "base_url": base_url, "conference": conference}


def _record(event: EventInfo, session: Session, room_name: str, lang: str) -> dict:
    start = local(session.start, event.tz)
    title = session.title(lang)
    other = session.title("fr" if lang == "en" else "en")
    return {
        "guid": session_guid(event, session.id), "id": session.id, "url": session.url,
        "date": start.isoformat(), "start": start.strftime("%H:%M"),
        "duration": hhmm(session.end - session.start), "room": room_name,
        "slug": f"{event.slug}-{session.id}-{slugify(title)}".strip("-"),
        "title": title, "subtitle": other if other != title else "",
        "track": session.themes[0] if session.themes else "", "type": session.kind,
        "language": SPOKEN_LANGUAGE, "abstract": session.description(lang), "description": "",
        "persons": [{"id": speaker.id, "public_name": speaker.name} for speaker in session.speakers],
        "links": [{"url": session.url, "title": title}] if session.url else [],
        "attachments": [],
    }


def _timeslot(event: EventInfo, sessions: list[Session]) -> str:
    """The largest slot (5 to 60 minutes) that every start and duration is a multiple of."""
    step = 0
    for session in sessions:
        start = local(session.start, event.tz)
        step = math.gcd(step, start.hour * 60 + start.minute,
                        int((session.end - session.start).total_seconds() // 60))
    return hhmm(timedelta(minutes=min(max(step, 5), 60) if step else 15))


def _event_xml(parent: ET.Element, record: dict) -> None:
    el = ET.SubElement(parent, "event", guid=record["guid"], id=str(record["id"]))
    for tag in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track",
                "type", "language", "abstract", "description"):
        _text(el, tag, record[tag])
    persons = ET.SubElement(el, "persons")
    for person in record["persons"]:
        _text(persons, "person", person["public_name"]).set("id", str(person["id"]))
    links = ET.SubElement(el, "links")
    for link in record["links"]:
        _text(links, "link", link["title"]).set("href", _NOT_XML.sub("", link["url"]))
    ET.SubElement(el, "attachments")


# Characters XML 1.0 cannot carry at all; ElementTree would write them and break the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, value) -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = _NOT_XML.sub("", str(value))
    return el
