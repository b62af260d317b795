"""The door on the demo summit, on a phone (390x844): the demo's door-staff account types the short code printed
on a badge, sees the welcome and the arrival, scans a second badge with the camera (Chromium's fake camera
filming the printed badge), and is refused the back office's other pages."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.badging import services as badging
from app.badging.models import CheckIn, format_short_code
from app.core.search import fold
from app.demo.generator import DOOR_EMAIL
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus
from tests.conftest import TEST_PASSWORD
from tests.e2e.test_lead_scanner_flow import badge_image, camera_browser, write_y4m  # noqa: F401  (a fixture)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_door_staff_check_in_by_typed_code_and_camera_and_nothing_else(camera_browser, live_server,  # noqa: F811
                                                                       shoot, demo_summit):
    summary = demo_summit
    event = db.session.get(Event, summary.event_id)
    assert summary.door_email == DOOR_EMAIL
    first, second = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id).limit(2)).all()
    typed = format_short_code(badging.current_token(first).short_code).lower().replace("-", " ")
    db.session.commit()
    write_y4m(badge_image(badging.own_badge(second)), camera_browser["video"])

    browser = camera_browser["launch"]()
    context = browser.new_context(locale="fr-FR", **PHONE)
    context.grant_permissions(["camera"], origin=live_server)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(DOOR_EMAIL)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # The top bar leads to the door; its menu holds the door and the arrivals only, folded on a phone.
    page.get_by_role("link", name="Porte", exact=True).click()
    expect(page.get_by_role("heading", name="Accueil à l'entrée")).to_be_visible()
    menu = page.locator(".subnav-toggle")
    expect(menu).to_be_visible()
    expect(page.locator(".subnav-links")).to_be_hidden()
    nav_height = page.locator(".subnav").bounding_box()["height"] + page.locator(".topbar").bounding_box()["height"]
    assert nav_height < 844 / 4, nav_height
    shoot(page, "door-phone-fr")
    menu.click()
    links = page.locator(".subnav-links a")
    expect(links).to_have_count(2)
    expect(links.nth(1)).to_have_text("Arrivées")
    shoot(page, "door-phone-menu-fr")
    menu.click()

    # The short code typed as read off the badge: small letters, a space for the dash.
    page.get_by_label("Scannez le badge ou tapez son code").fill(typed)
    page.get_by_label("Porte", exact=True).fill("Entrée Agora")
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    result = page.get_by_test_id("checkin-result")
    expect(result).to_contain_text("Bienvenue")
    expect(result).to_contain_text(first.person.full_name)
    shoot(page, "door-phone-typed-fr")

    # The camera reads the next badge's QR code and checks its holder in by itself.
    page.get_by_role("button", name="Scanner avec la caméra").click()
    expect(result).to_contain_text(second.person.full_name, timeout=30_000)
    expect(result).to_contain_text("Bienvenue")
    expect(page.get_by_test_id("door-camera")).to_have_attribute("data-camera", "on")  # on again after the answer
    shoot(page, "door-phone-camera-fr")
    assert {c.registration_id for c in db.session.scalars(select(CheckIn).where(CheckIn.event_id == event.id))} \
        == {first.id, second.id}

    page.goto(f"{live_server}/manage/e/{event.slug}/badges/arrivals")
    expect(page.get_by_test_id("arrivals-total")).to_have_text(re.compile(r"^\s*2 "))
    shoot(page, "door-phone-arrivals-fr")

    # Nothing else of the back office: the plan page, the registrations, the badges' printing.
    for path in ("demonstrator/plans/", "demonstrator/plans/1", "registrations", "badges/"):
        response = page.goto(f"{live_server}/manage/e/{event.slug}/{path}")
        assert response.status == 403, path
    shoot(page, "door-phone-refused-fr")
    assert errors == []
    context.close()

    # The organiser finds the first arrival at her desk by the code on the badge, and by the name typed without
    # accents or capitals; on her phone the edition's menu is folded too.
    person = first.person
    for size, name in (({"viewport": {"width": 1440, "height": 900}}, "desk"), (PHONE, "phone")):
        context = browser.new_context(locale="fr-FR", **size)
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.get_by_label("E-mail", exact=True).fill(summary.organiser_email)
        page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        for query in (typed.upper(), fold(f"{person.last_name} {person.first_name}")):
            page.goto(f"{live_server}/manage/e/{event.slug}/registrations?q={query}")
            expect(page.locator("table.list tbody tr")).to_have_count(1)
            expect(page.locator("table.list tbody")).to_contain_text(person.last_name.upper())
        expect(page.locator(".subnav-toggle")).to_be_visible() if name == "phone" else \
            expect(page.locator(".subnav-links a")).to_have_count(15)  # the whole menu, the audit log included
        shoot(page, f"door-search-{name}-fr")
        if name == "desk":  # the team page lists the door staff apart from the organisers
            page.goto(f"{live_server}/manage/e/{event.slug}/team/")
            expect(page.get_by_test_id("door-staff-row")).to_contain_text(DOOR_EMAIL)
            shoot(page, "door-team-desk-fr")
        context.close()
