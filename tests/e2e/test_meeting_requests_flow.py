"""Issue 29's requests: a startup finds the mayor in the directory and asks to meet her; the mayor, on her phone
(390x844), accepts from her meetings page; the startup sees the meeting accepted. The organiser's list counts it.
Rows made here (tests/meetings/world.py); axe on every page; screenshots in test-artifacts/."""
from playwright.sync_api import Browser, expect

from app.extensions import db
from app.meetings.requests.models import RequestStatus
from tests.e2e.test_mayor_and_exhibitor_on_phones import PHONE, log_in, no_sideways_scrolling, phone
from tests.meetings.world import build, only_request

DESK = {"width": 1280, "height": 900}


def test_a_startup_requests_a_meeting_and_the_mayor_accepts_on_her_phone(
        browser: Browser, live_server, event, make_registration, make_organiser, shoot):
    world = build(event, make_registration)
    world.startup.person.locale = "fr"
    db.session.commit()
    organiser = make_organiser(event)
    e = f"{live_server}/e/{event.slug}"

    # The startup, at her desk: from her registrations to the directory, a search without accents, the request.
    desk = browser.new_context(locale="fr-FR", viewport=DESK)
    page = desk.new_page()
    log_in(page, live_server, world.startup.person.email)
    page.goto(f"{live_server}/me")
    page.get_by_test_id("my-meeting-requests").click()
    page.get_by_role("link", name="Trouver quelqu'un à rencontrer").click()
    page.get_by_label("Rechercher", exact=True).fill("marie lefevre")
    page.get_by_role("button", name="Filtrer").click()
    entries = page.get_by_test_id("directory-entry")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Marie Lefèvre")
    shoot(page, "meetings-directory")
    entries.get_by_role("link", name="Demander une rencontre").click()
    page.get_by_label("Découvrir une solution").check()
    page.get_by_label("Message").fill("Nos capteurs comptent les places libres du centre-ville : quinze minutes ?")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("En attente de réponse")
    expect(page.locator(".flash-success")).to_contain_text("Votre demande est envoyée à Marie Lefèvre")
    shoot(page, "meetings-request-sent")

    # The mayor, on her phone: her meetings page, the request, Accept.
    mobile = phone(browser)
    mayor = mobile.new_page()
    log_in(mayor, live_server, world.mayor.person.email)
    mayor.goto(f"{e}/meetings/")
    received = mayor.get_by_test_id("received")
    request = received.get_by_test_id("meeting")
    expect(request).to_contain_text("Capteurs du Morvan")
    expect(request).to_contain_text("quinze minutes ?")
    no_sideways_scrolling(mayor)
    shoot(mayor, "meetings-mine-phone-before")
    request.get_by_role("button", name="Accepter").click()
    expect(mayor.locator(".flash-success")).to_contain_text("La rencontre est acceptée")
    expect(mayor.get_by_test_id("received").get_by_test_id("meeting-status")).to_have_text("Acceptée")
    assert mayor.viewport_size == PHONE
    no_sideways_scrolling(mayor)
    shoot(mayor, "meetings-mine-phone-accepted")
    mobile.close()
    assert only_request().status is RequestStatus.ACCEPTED

    # The startup sees it accepted among the requests she sent.
    page.goto(f"{e}/meetings/")
    sent = page.get_by_test_id("sent")
    expect(sent.get_by_test_id("meeting-status")).to_have_text("Acceptée")
    expect(sent).to_contain_text("Marie Lefèvre")
    shoot(page, "meetings-mine-startup")
    desk.close()

    # The organiser: the list with its counts per status, and the settings.
    office = browser.new_context(locale="fr-FR", viewport=DESK)
    page = office.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/")
    page.get_by_role("link", name="Rencontres", exact=True).click()
    expect(page.get_by_test_id("count-accepted")).to_contain_text("1")
    expect(page.get_by_test_id("request-row")).to_contain_text("Capteurs du Morvan")
    shoot(page, "meetings-organiser-list")
    page.get_by_role("link", name="Réglages et sessions").click()
    expect(page.get_by_test_id("session")).to_have_count(1)
    shoot(page, "meetings-organiser-settings")
    office.close()
