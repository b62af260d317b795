"""Calendar feeds (R7), their secret tokens (S1), frab and CSV exports, and the export command."""
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar
from schedules import ItineraryItem
from sqlalchemy import select

from app.auth.services import set_password
from app.extensions import db
from app.mail.models import OutboxMessage
from app.program import agenda, feeds
from app.program.calendar_sources import EXTENSION_KEY, CalendarSource
from app.program.models import SessionKind
from tests.conftest import TEST_PASSWORD, login
from tests.forged_host import FORGED, forged_login, forged_submit, links_in


def events_of(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_personal_feed_with_timezones_stable_uids_and_cancellation(client, event, make_session, make_registration,
                                                                   make_organiser):
    morning = make_session("Plénière", start=time(10, 0), end=time(11, 0), publish=True)
    workshop = make_session("Atelier", start=time(14, 0), end=time(15, 0), kind=SessionKind.ATELIER, seat_limit=5,
                            publish=True)
    registration = make_registration(event)
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    agenda.add(morning.id, registration)
    agenda.add(workshop.id, registration)
    login(client, registration.person)
    first = client.get(f"/e/{event.slug}/agenda.ics")
    assert first.status_code == 200 and first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(first.get_data())
    tzids = {c["TZID"] for c in calendar.walk("VTIMEZONE")}
    vevents = events_of(first.get_data())
    assert len(vevents) == 2
    assert all(e["DTSTART"].params.get("TZID") in tzids for e in vevents)
    plenary = next(e for e in vevents if "Plénière" in str(e["SUMMARY"]))
    start = plenary["DTSTART"].dt
    assert start.astimezone(ZoneInfo("America/Montreal")).hour == 4  # June: Paris is 6 h ahead of Montréal
    again = events_of(client.get(f"/e/{event.slug}/agenda.ics").get_data())
    assert sorted(str(e["UID"]) for e in again) == sorted(str(e["UID"]) for e in vevents)

    organiser = client.application.test_client()
    login(organiser, make_organiser(event))
    organiser.submit(f"/manage/e/{event.slug}/program/sessions/{workshop.id}/remove")
    organiser.submit(f"/manage/e/{event.slug}/program/publish")
    updated = {str(e["UID"]): e for e in events_of(client.get(f"/e/{event.slug}/agenda.ics").get_data())}
    cancelled = next(e for e in updated.values() if "Atelier" in str(e["SUMMARY"]))
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1


def test_personal_feed_adds_what_registered_sources_give(app, event, make_registration, monkeypatch):
    registration = make_registration(event)

    def items(person_registration, *, uid_domain, page_url):
        assert person_registration is registration
        return [ItineraryItem(uid=f"stand-A1@{uid_domain}", title="Stand A1", start=datetime(2027, 6, 2, 8, tzinfo=UTC),
                              end=datetime(2027, 6, 2, 8, 10, tzinfo=UTC), location="Hall", description=page_url)]

    source = CalendarSource(items=items, page_url=lambda r: f"https://sommet.example.org/stands/{r.id}")
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, [source])
    (visit,) = events_of(feeds.personal_ics(registration, "fr"))
    assert str(visit["SUMMARY"]) == "Stand A1"
    assert f"https://sommet.example.org/stands/{registration.id}" in str(visit["DESCRIPTION"])


def test_paris_session_in_montreal_when_the_gap_is_five_hours(make_event, make_session):
    event = make_event(slug="printemps", starts_on=date(2027, 3, 17), ends_on=date(2027, 3, 19))
    session = make_session("Conférence", day=date(2027, 3, 17), start=time(10, 0), end=time(11, 0), publish=True,
                           edition=event)
    from app.program import feeds
    vevent = events_of(feeds.program_ics(event, "fr"))[0]
    assert str(vevent["UID"]).startswith(f"session-{session.id}@")
    assert vevent["DTSTART"].dt.astimezone(ZoneInfo("America/Montreal")).hour == 5


def test_subscription_token_is_secret_revocable_and_renewable(client, app, event, make_session, make_registration):
    make_session("Plénière", publish=True)
    registration = make_registration(event)
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    login(client, registration.person)
    page = client.get(f"/e/{event.slug}/agenda").get_data(as_text=True)
    token = page.split("/ical/", 1)[1].split(".ics", 1)[0]
    assert token.startswith("f_") and len(token) >= 24
    assert registration.person.email not in token
    anonymous = app.test_client()
    subscribed = anonymous.get(f"/ical/{token}.ics")
    assert subscribed.status_code == 200 and subscribed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    client.submit(f"/e/{event.slug}/agenda/feed/renew")
    assert anonymous.get(f"/ical/{token}.ics").status_code == 404
    assert anonymous.get("/ical/f_not-a-real-token.ics").status_code == 404
    assert anonymous.get("/ical/b_wrong-kind.ics").status_code == 404


def test_frab_xml_lists_every_published_session_and_csv_is_safe(client, event, make_room, make_session):
    room = make_room("Salle & Cie")
    make_session("=HYPERLINK(1)", room=room, publish=True)
    make_session("Atelier <données>", start=time(11, 0), end=time(12, 30), room=room, publish=True)
    make_session("Brouillon", start=time(15, 0), end=time(16, 0))
    root = ET.fromstring(client.get(f"/e/{event.slug}/schedule.xml").get_data())
    titles = sorted(e.findtext("title") for e in root.iter("event"))
    assert titles == ["=HYPERLINK(1)", "Atelier <données>"]
    data = client.get(f"/e/{event.slug}/schedule.json").get_json()
    assert data["schedule"]["conference"]["acronym"] == event.slug
    exported = client.get(f"/e/{event.slug}/program.csv")
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    csv_text = exported.get_data().decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text and "Brouillon" not in csv_text


def test_export_command(app, event, make_session, make_registration, tmp_path):
    make_session("Plénière", publish=True)
    registration = make_registration(event)
    runner = app.test_cli_runner()
    for fmt in ("ics", "frab-xml", "frab-json", "csv"):
        out = tmp_path / f"p.{fmt}"
        result = runner.invoke(args=["program", "export", "--event", event.slug, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 100
    person = runner.invoke(args=["program", "export", "--event", event.slug, "--format", "ics",
                                 "--person", registration.person.email, "-o", str(tmp_path / "me.ics")])
    assert person.exit_code == 0
    assert runner.invoke(args=["program", "export", "--event", "nope", "--format", "ics",
                               "-o", str(tmp_path / "x")]).exit_code == 2
    assert runner.invoke(args=["program", "export", "--event", event.slug, "--format", "pdf",
                               "-o", str(tmp_path / "x")]).exit_code == 2
    assert runner.invoke(args=["program", "export", "--event", event.slug, "--format", "ics",
                               "--person", "nobody@example.org", "-o", str(tmp_path / "x")]).exit_code == 2


def test_clone_keeps_the_rooms(client, event, make_room, make_organiser):
    make_room("Auditorium", capacity=500)
    login(client, make_organiser(event))
    client.submit(f"/manage/e/{event.slug}/clone", {
        "name": "Sommet 2028", "slug": "sommet-2028", "city": "Nevers", "country": "FR", "venue": "",
        "timezone": "Europe/Paris", "starts_on": "2028-06-07", "ends_on": "2028-06-09", "status": "draft"})
    from app.program.models import Room
    from sqlalchemy import select
    names = db.session.scalars(select(Room.name).join(Room.event).where(Room.event.has(slug="sommet-2028"))).all()
    assert names == ["Auditorium"]


def test_feed_address_calendar_links_and_change_mails_use_the_public_address(app, client, event, make_session,
                                                                            make_registration, make_organiser):
    public = app.config["PUBLIC_URL"]
    workshop = make_session("Atelier", start=time(14, 0), end=time(15, 0), publish=True)
    registration = make_registration(event)
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    agenda.add(workshop.id, registration)
    forged_login(client, registration.person)
    page = client.get(f"/e/{event.slug}/agenda", base_url=FORGED).get_data(as_text=True)
    feed_url = page.split('data-testid="feed-url">', 1)[1].split("<", 1)[0]
    assert feed_url.startswith(f"{public}/ical/f_")
    for body in (client.get(f"/e/{event.slug}/agenda.ics", base_url=FORGED).get_data(),
                 client.get(f"/e/{event.slug}/program.ics", base_url=FORGED).get_data(),
                 app.test_client().get(feed_url.removeprefix(public), base_url=FORGED).get_data()):
        (vevent,) = events_of(body)
        assert str(vevent["URL"]) == f"{public}/e/{event.slug}/program/{workshop.id}"
        assert "evil.example" not in body.decode()
    organiser = app.test_client()
    forged_login(organiser, make_organiser(event))
    forged_submit(organiser, f"/manage/e/{event.slug}/program/sessions/{workshop.id}/remove")
    assert forged_submit(organiser, f"/manage/e/{event.slug}/program/publish").status_code == 302
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == registration.person.email,
                                                         OutboxMessage.kind == "session_cancelled"))
    assert links_in(mail.body) == [f"{public}/e/{event.slug}/program/{workshop.id}"]
