"""Issue 29's whole story in a browser: a company asks to meet a mayor; she accepts on her phone (390x844); the
organiser places all meetings, tries to move theirs onto the mayor's visit route and reads why not, then publishes;
both see the time and the place in their agenda and in the calendar they download. Rows made here
(tests/meetings/placement_world.py); screenshots in test-artifacts/."""
from __future__ import annotations

from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.core.timefmt import format_moment
from app.extensions import db
from app.meetings.agenda import schedule
from app.meetings.placement.availability import ROUTE, busy_of
from app.meetings.placement.models import MeetingPlacement
from app.meetings.requests.models import AcceptanceMode, MeetingRequest, MeetingSettings, RequestStatus, Side
from tests.e2e.test_mayor_and_exhibitor_on_phones import PHONE, log_in, no_sideways_scrolling, phone
from tests.meetings.placement_world import build

DESK = {"width": 1366, "height": 768}


def _agenda_and_calendar(page: Page, live_server: str, event, placement: MeetingPlacement, registration, shoot,
                         name: str) -> None:
    """Her agenda lists the meeting with its time and table; the calendar she downloads holds it at that time."""
    mine = schedule.side_of(placement, registration.id)
    other = schedule.names(schedule.people_of_side(placement, Side.RECIPIENT if mine is Side.REQUESTER
                                                   else Side.REQUESTER))
    starts = format_moment(placement.published_starts_at, event.timezone, "time")
    table = placement.published_table.name
    page.goto(f"{live_server}/e/{event.slug}/agenda")
    item = page.get_by_test_id("agenda-meeting").filter(has_text=f"Rencontre avec {', '.join(other)}")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(starts)
    expect(item).to_contain_text(f"{table}, espace des rencontres")
    if page.viewport_size == PHONE:
        no_sideways_scrolling(page)
    shoot(page, name)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (.ics)").click()
    with open(download.value.path(), "rb") as file:
        events = [e for e in Calendar.from_ical(file.read()).walk("VEVENT")
                  if other[0].split(" (")[0] in str(e["SUMMARY"])]
    assert len(events) == 1, "the meeting is in her calendar, once"
    start = events[0]["DTSTART"]
    assert start.params["TZID"] == event.timezone and start.dt.strftime("%H:%M") == starts
    assert table in str(events[0].get("LOCATION", "")) + str(events[0].get("DESCRIPTION", ""))


def test_a_company_asks_the_mayor_accepts_the_organiser_places_and_both_see_it(
        browser: Browser, live_server, event, make_registration, make_organiser, shoot):
    world = build(event, make_registration)
    db.session.get(MeetingSettings, event.id).acceptance = AcceptanceMode.NEEDS_ACCEPTANCE
    db.session.commit()
    company, mayor = world.other_company, world.mayor
    organiser = make_organiser(event)

    # The company, at its desk: the directory, the mayor found without accents, the request.
    desk = browser.new_context(locale="fr-FR", viewport=DESK, accept_downloads=True)
    page = desk.new_page()
    log_in(page, live_server, company.person.email)
    page.goto(f"{live_server}/e/{event.slug}/meetings/")
    page.get_by_role("link", name="Trouver quelqu'un à rencontrer").click()
    page.get_by_label("Rechercher", exact=True).fill("lefevre")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_test_id("directory-entry").filter(has_text="Marie Lefèvre") \
        .get_by_role("link", name="Demander une rencontre").click()
    page.get_by_label("Découvrir une solution").check()
    page.get_by_label("Message").fill("Nos compteurs d'eau connectés : vingt minutes ?")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("En attente de réponse")
    request = db.session.scalar(select(MeetingRequest).where(MeetingRequest.from_registration_id == company.id,
                                                             MeetingRequest.to_registration_id == mayor.id))
    assert request.status is RequestStatus.PENDING

    # The mayor, on her phone, accepts.
    mobile = phone(browser)
    phone_page = mobile.new_page()
    log_in(phone_page, live_server, mayor.person.email)
    phone_page.goto(f"{live_server}/e/{event.slug}/meetings/")
    asked = phone_page.get_by_test_id("received").get_by_test_id("meeting").filter(has_text="Eaux Claires")
    expect(asked).to_contain_text("vingt minutes ?")
    asked.get_by_role("button", name="Accepter").click()
    expect(phone_page.locator(".flash-success")).to_contain_text("La rencontre est acceptée")
    no_sideways_scrolling(phone_page)
    shoot(phone_page, "meeting-story-accepted-phone")

    # The organiser places all meetings; the new one goes to a table, around the mayor's route.
    office = browser.new_context(locale="fr-FR", viewport=DESK)
    desk_page = office.new_page()
    log_in(desk_page, live_server, organiser.email)
    desk_page.goto(f"{live_server}/manage/e/{event.slug}/meetings/placement/")
    desk_page.get_by_label("Secondes de recherche pour chaque étape").fill("3")
    desk_page.get_by_test_id("place-all").click()
    expect(desk_page.get_by_test_id("last-placement")).to_contain_text("rencontres placées sur 8")
    placement = db.session.scalar(select(MeetingPlacement).where(MeetingPlacement.request_id == request.id)
                                  .execution_options(populate_existing=True))
    assert placement.table_id is not None and placement.starts_at is not None
    before = (placement.starts_at, placement.table_id)

    # Moved onto her visit route: refused with the reason, nothing changed.
    route = next(b for b in busy_of(event, [mayor.id])[mayor.id] if b.kind == ROUTE)
    on_route = route.starts_at.replace(minute=route.starts_at.minute // 20 * 20)
    desk_page.get_by_test_id("cell").filter(has_text="Rose Nadal").filter(has_text="Marie Lefèvre").click()
    desk_page.get_by_label("Créneau").select_option(on_route.isoformat(timespec="minutes"))
    desk_page.get_by_test_id("move").click()
    expect(desk_page.get_by_test_id("move-refused")).to_contain_text("Marie Lefèvre suit son parcours de visite de")
    shoot(desk_page, "meeting-story-move-refused")
    db.session.refresh(placement)
    assert (placement.starts_at, placement.table_id) == before

    desk_page.get_by_role("link", name="Placement des rencontres").first.click()
    desk_page.get_by_test_id("publish").click()
    expect(desk_page.locator(".flash-success")).to_contain_text("Les rencontres sont publiées")
    office.close()
    db.session.refresh(placement)
    assert placement.published_starts_at == before[0]

    # Both see when and where: the mayor on her phone, the company at its desk.
    _agenda_and_calendar(phone_page, live_server, event, placement, mayor, shoot, "meeting-story-agenda-mayor")
    mobile.close()
    _agenda_and_calendar(page, live_server, event, placement, company, shoot, "meeting-story-agenda-company")
    desk.close()
