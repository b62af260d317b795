"""Issue 29's placement: the organiser places all meetings, reads why some have no place, tries to move the mayor's
meeting onto her visit route and reads the refusal, moves it to a free slot, publishes; the page at 1366 px and on a
phone. Rows made here (tests/meetings/placement_world.py); axe on every page; screenshots in test-artifacts/."""
from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.meetings.placement.availability import MEETING, ROUTE, busy_of, people_of
from app.meetings.placement.models import MeetingPlacement
from app.meetings.placement.publishing import KIND
from tests.e2e.test_mayor_and_exhibitor_on_phones import PHONE, log_in, no_sideways_scrolling, phone
from tests.meetings.placement_world import build, utc

LAPTOP = {"width": 1366, "height": 768}


def placement_of(request) -> MeetingPlacement:
    return db.session.scalar(select(MeetingPlacement).where(MeetingPlacement.request_id == request.id)
                             .execution_options(populate_existing=True))


def test_the_organiser_places_moves_and_publishes_the_meetings(browser: Browser, live_server, event,
                                                             make_registration, make_organiser, shoot):
    world = build(event, make_registration)
    organiser = make_organiser(event)
    m = f"{live_server}/manage/e/{event.slug}"

    office = browser.new_context(locale="fr-FR", viewport=LAPTOP)
    page = office.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{m}/")
    page.get_by_role("link", name="Rencontres", exact=True).click()
    page.get_by_test_id("tab-meeting_placement-index").click()
    expect(page.get_by_test_id("num-accepted")).to_have_text("7")
    shoot(page, "placement-before")

    # Place all meetings: the job runs (in the tests, inside the request), the page shows its outcome.
    page.get_by_label("Secondes de recherche pour chaque étape").fill("3")
    page.get_by_test_id("place-all").click()
    expect(page.get_by_test_id("num-placed")).to_have_text("6")
    expect(page.get_by_test_id("last-placement")).to_contain_text("6 rencontres placées sur 7")
    unplaced = page.get_by_test_id("unplaced-row")
    expect(unplaced).to_have_count(1)
    expect(unplaced).to_contain_text("Lucie Martin")
    expect(unplaced.get_by_test_id("unplaced-reason")).to_contain_text("Aucun créneau libre commun")
    expect(page.get_by_test_id("stand-row")).to_have_count(2)
    expect(page.get_by_test_id("cell")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    shoot(page, "placement-placed")

    # The company's meeting with the mayor, moved onto her visit route: refused, saying so, nothing changed.
    meeting = placement_of(world.meetings["company_mayor"])
    before = (meeting.starts_at, meeting.table_id)
    route = next(b for b in busy_of(event, [world.mayor.id])[world.mayor.id] if b.kind == ROUTE)
    on_route = route.starts_at.replace(minute=route.starts_at.minute // 20 * 20)
    page.get_by_test_id("cell").filter(has_text="Hugo Petit").filter(has_text="Marie Lefèvre").click()
    expect(page.get_by_test_id("meeting-where")).to_contain_text("Table")
    page.get_by_label("Créneau").select_option(on_route.isoformat(timespec="minutes"))
    page.get_by_test_id("move").click()
    refusal = page.get_by_test_id("move-refused")
    expect(refusal).to_contain_text("Refusé, rien n'a changé")
    expect(refusal).to_contain_text("Marie Lefèvre suit son parcours de visite de")
    shoot(page, "placement-move-refused")
    assert (placement_of(world.meetings["company_mayor"]).starts_at, meeting.table_id) == before

    # A slot where both are free, on the second day: moved and locked there.
    taken = {b.starts_at for r in people_of(meeting.request) for b in busy_of(event, [r])[r] if b.kind == MEETING}
    free = next(s for s in (utc(event.days[1], f"{h}:{mm:02d}") for h in (10, 11) for mm in (0, 20, 40))
                if s not in taken and s != meeting.starts_at)
    page.get_by_label("Créneau").select_option(free.isoformat(timespec="minutes"))
    page.get_by_test_id("move").click()
    expect(page.locator(".flash-success")).to_contain_text("déplacée et verrouillée")
    expect(page.get_by_test_id("meeting-locked")).to_contain_text("oui")
    moved = placement_of(world.meetings["company_mayor"])
    assert moved.starts_at == free and moved.locked
    shoot(page, "placement-moved")

    # Publish: the draft is what attendees see; the people of the six placed meetings are told, once each.
    page.get_by_role("link", name="Placement des rencontres").first.click()
    expect(page.get_by_test_id("publish-preview")).to_contain_text("6 nouvelles rencontres")
    page.get_by_test_id("publish").click()
    expect(page.locator(".flash-success")).to_contain_text("Les rencontres sont publiées")
    expect(page.get_by_test_id("publish-preview")).to_contain_text("Rien à publier")
    told = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == KIND))
    assert told == len({r for key, request in world.meetings.items() if key != "absent"
                        for r in people_of(request)})
    shoot(page, "placement-published")
    office.close()

    # On a phone: the page does not scroll sideways (each day's grid scrolls in its own box).
    mobile = phone(browser)
    page = mobile.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{m}/meetings/placement/")
    expect(page.get_by_test_id("placement-figures")).to_be_visible()
    assert page.viewport_size == PHONE
    no_sideways_scrolling(page)
    shoot(page, "placement-phone")
    mobile.close()
