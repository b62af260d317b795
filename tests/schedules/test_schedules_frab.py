"""frab exports: the XML parsed back, the JSON shape, awkward titles round-tripping."""
from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET

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

from schedules import frab_json, frab_xml
from schedules.frab import NO_ROOM


def lyon_program():
    return [
        session(1, at(PARIS, 2027, 6, 2, 9), at(PARIS, 2027, 6, 2, 10, 30), kind="pleniere", themes=("mobilité", "climat"),
                speakers=(ADA, JEAN), title_fr="Ouverture & <bienvenue> 🎉", title_en="Opening"),
        session(2, at(PARIS, 2027, 6, 2, 11), at(PARIS, 2027, 6, 2, 12, 15), room_id=2, kind="atelier"),
        session(3, at(PARIS, 2027, 6, 3, 14), at(PARIS, 2027, 6, 3, 14, 45), room_id=None, kind="pause", title_fr="Café"),
        session(4, at(PARIS, 2027, 6, 3, 9), at(PARIS, 2027, 6, 3, 10), cancelled=True),
    ]


def quebec_program():
    return [session(10, at(MONTREAL, 2027, 11, 6, 10), at(MONTREAL, 2027, 11, 6, 11)),
            session(11, at(MONTREAL, 2027, 11, 7, 10), at(MONTREAL, 2027, 11, 7, 11, 30)),
            session(12, at(MONTREAL, 2027, 11, 7, 0, 30), at(MONTREAL, 2027, 11, 7, 3), room_id=2)]  # spans the fall-back hour


def xml_events(root):
    return {int(e.get("id")): e for e in root.iter("event")}


def test_xml_structure_lyon():
    root = ET.fromstring(frab_xml(LYON, ROOMS, lyon_program(), version="v42", base_url="https://mediane.example.org"))
    assert root.tag == "schedule" and root.findtext("version") == "v42"
    conf = root.find("conference")
    assert (conf.findtext("acronym"), conf.findtext("start"), conf.findtext("end"), conf.findtext("days")) == (
        "lyon-2027", "2027-06-02", "2027-06-03", "2")
    assert conf.findtext("time_zone_name") == PARIS and conf.findtext("timeslot_duration") == "00:15"
    days = root.findall("day")
    assert [(d.get("index"), d.get("date"), d.get("start")) for d in days] == [
        ("1", "2027-06-02", "2027-06-02T00:00:00+02:00"), ("2", "2027-06-03", "2027-06-03T00:00:00+02:00")]
    events = xml_events(root)
    assert sorted(events) == [1, 2, 3]  # the cancelled one is left out, each other appears once
    assert len(list(root.iter("event"))) == 3
    first = events[1]
    assert (first.findtext("date"), first.findtext("start"), first.findtext("duration")) == ("2027-06-02T09:00:00+02:00", "09:00", "01:30")
    assert first.findtext("title") == "Ouverture & <bienvenue> 🎉" and first.findtext("subtitle") == "Opening"
    assert (first.findtext("room"), first.findtext("track"), first.findtext("type"), first.findtext("language")) == (
        "Salle Rhône", "mobilité", "pleniere", "fr")
    assert [(p.get("id"), p.text) for p in first.find("persons")] == [("1", "Ada Lovelace"), ("2", "Jean Tremblay")]
    assert first.findtext("slug") == "lyon-2027-1-ouverture-bienvenue"
    assert first.findtext("url") == ""  # no invented URL: only the one the app gives
    assert str(uuid.UUID(first.get("guid"))) == first.get("guid")
    # The room-less pause sits under the pseudo-room, inside the right day.
    [pseudo] = [r for r in days[1].findall("room") if r.get("name") == NO_ROOM]
    assert [e.get("id") for e in pseudo] == ["3"] and events[3].findtext("room") == NO_ROOM


def test_xml_quebec_local_times_across_fall_back():
    events = xml_events(ET.fromstring(frab_xml(QUEBEC, ROOMS, quebec_program(), version="1")))
    found = {i: (e.findtext("date"), e.findtext("start"), e.findtext("duration")) for i, e in events.items()}
    assert found == {
        10: ("2027-11-06T10:00:00-04:00", "10:00", "01:00"),
        11: ("2027-11-07T10:00:00-05:00", "10:00", "01:30"),
        12: ("2027-11-07T00:30:00-04:00", "00:30", "03:30"),  # 00:30 to 03:00 is 3.5 real hours that night
    }


def test_guids_are_stable_and_distinct():
    one = {e.get("id"): e.get("guid") for e in ET.fromstring(frab_xml(LYON, ROOMS, lyon_program(), version="1")).iter("event")}
    two = {e.get("id"): e.get("guid") for e in ET.fromstring(frab_xml(LYON, ROOMS, lyon_program()[::-1], version="2")).iter("event")}
    assert one == two and len(set(one.values())) == len(one)


def test_awkward_text_round_trips():
    title = "R&D <urbaine> « Montréal » 🚲 \"quotes\" ' \x01"
    sessions = [session(1, at(PARIS, 2027, 6, 2, 9), at(PARIS, 2027, 6, 2, 10), title_fr=title, description_fr="a]]>b")]
    rooms = [ROOMS[0].__class__(1, "Salle <A> & \"B\"")]
    root = ET.fromstring(frab_xml(LYON, rooms, sessions, version="1"))
    [event] = root.iter("event")
    assert event.findtext("title") == title.replace("\x01", "")  # a control character XML cannot carry is dropped
    assert event.findtext("abstract") == "a]]>b"
    assert root.find("day/room").get("name") == "Salle <A> & \"B\""


def test_json_shape_matches_the_xml():
    data = frab_json(LYON, ROOMS, lyon_program(), version="v42", base_url="https://mediane.example.org")
    json.dumps(data)  # serialisable as is
    conf = data["schedule"]["conference"]
    assert data["schedule"]["version"] == "v42" and data["schedule"]["base_url"] == "https://mediane.example.org"
    assert {k: conf[k] for k in ("acronym", "start", "end", "daysCount", "time_zone_name")} == {
        "acronym": "lyon-2027", "start": "2027-06-02", "end": "2027-06-03", "daysCount": 2, "time_zone_name": PARIS}
    assert [r["name"] for r in conf["rooms"]] == ["Salle Rhône", "Atelier B", NO_ROOM]
    day1, day2 = conf["days"]
    assert (day1["index"], day1["date"], day1["day_start"], day1["day_end"]) == (
        1, "2027-06-02", "2027-06-02T00:00:00+02:00", "2027-06-03T00:00:00+02:00")
    assert list(day1["rooms"]) == ["Salle Rhône", "Atelier B"] and list(day2["rooms"]) == [NO_ROOM]
    opening = day1["rooms"]["Salle Rhône"][0]
    assert {k: opening[k] for k in ("id", "start", "duration", "room", "type", "track")} == {
        "id": 1, "start": "09:00", "duration": "01:30", "room": "Salle Rhône", "type": "pleniere", "track": "mobilité"}
    assert opening["persons"] == [{"id": 1, "public_name": "Ada Lovelace"}, {"id": 2, "public_name": "Jean Tremblay"}]
    xml_guids = {e.get("guid") for e in ET.fromstring(frab_xml(LYON, ROOMS, lyon_program(), version="v42")).iter("event")}
    json_guids = {e["guid"] for d in conf["days"] for room in d["rooms"].values() for e in room}
    assert xml_guids == json_guids


def test_session_on_a_day_outside_the_edition_is_kept_under_an_extra_day():
    sessions = [session(1, at(PARIS, 2027, 6, 5, 9), at(PARIS, 2027, 6, 5, 10))]
    conf = frab_json(LYON, ROOMS, sessions, version="1")["schedule"]["conference"]
    assert [d["date"] for d in conf["days"]] == ["2027-06-02", "2027-06-03", "2027-06-05"]
    assert conf["days"][2]["rooms"]["Salle Rhône"][0]["id"] == 1
