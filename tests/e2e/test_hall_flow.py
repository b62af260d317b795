"""An organiser lays out the demonstrator in a browser: stands placed by clicking on the plan, an overlap
refused, an entrance, a startup booked on a stand, a tour slot."""
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.demonstrator.hall.models import Stand, StandBooking, TourSlot
from app.events.models import CategoryCode
from app.extensions import db
from tests.demonstrator.conftest import confirm
from tests.e2e.keyboard import axe_violations, duplicate_ids, images_holding_focusables, tab_until
from tests.e2e.test_program_flow import log_in


def click_plan(page, x: float, y: float) -> None:
    """Click the point (x, y) of the hall, in metres."""
    page.locator("#hall-svg").scroll_into_view_if_needed()
    left, top = page.evaluate("""([x, y]) => {
        const svg = document.getElementById("hall-svg");
        const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
        return [p.x, p.y];
    }""", [x, y])
    page.mouse.click(left, top)


def place_stand(page, number: str, x: float, y: float) -> None:
    click_plan(page, x, y)
    expect(page.locator("#x")).to_have_value(f"{x:g}")
    expect(page.locator("#y")).to_have_value(f"{y:g}")
    expect(page.get_by_test_id("plan-ghost")).to_be_visible()
    page.locator("#number").fill(number)
    page.get_by_role("button", name="Placer le stand").click()


def test_organiser_lays_out_the_demonstrator(browser: Browser, live_server, event, make_organiser,
                                             make_registration, shoot):
    organiser = make_organiser(event)
    confirm(make_registration(event, CategoryCode.STARTUP, organisation_name="Nébuleuse Mobilité"))
    confirm(make_registration(event, CategoryCode.STARTUP, organisation_name="Watt & Co"))
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/")
    page.get_by_role("link", name="Démonstrateur").click()
    expect(page.get_by_role("heading", name="Démonstrateur")).to_be_visible()
    shoot(page, "hall-empty-fr")

    place_stand(page, "A1", 10, 10)
    expect(page.locator(".flash-success")).to_contain_text("Le stand A1 est placé.")
    place_stand(page, "A2", 14.5, 10)
    expect(page.get_by_test_id("plan-stand")).to_have_count(2)
    expect(page.get_by_test_id("stand-row")).to_have_count(2)

    # A third one on top of A1: the refusal says which stand is in the way, nothing is stored.
    page.locator("#capacity").fill("2")
    place_stand(page, "A3", 12, 8.5)
    expect(page.locator("#x-err")).to_have_text("Le stand chevauche le stand A1.")
    expect(page.get_by_test_id("plan-stand")).to_have_count(2)
    shoot(page, "hall-overlap-refused-fr")
    page.locator("#x").fill("30")
    page.locator("#y").fill("20")
    page.locator("#width").fill("6")
    page.get_by_role("button", name="Placer le stand").click()
    expect(page.get_by_test_id("plan-stand")).to_have_count(3)

    # An entrance placed by a click on the plan's edge.
    page.get_by_label("une entrée").check()
    click_plan(page, 30, 40)
    expect(page.locator("#entrance-y")).to_have_value("40")
    page.locator("#entrance-name").fill("Entrée principale")
    page.get_by_role("button", name="Enregistrer l'entrée").click()
    expect(page.get_by_test_id("plan-entrance")).to_have_count(1)

    # Book a startup on A1 for the whole edition from the stand's page, reached from the plan.
    page.locator('[data-testid="plan-stand"][data-number="A1"]').click()
    expect(page.get_by_role("heading", name="Stand A1")).to_be_visible()
    page.get_by_label("Startup").select_option(label="Nébuleuse Mobilité")
    page.get_by_role("button", name="Réserver", exact=True).click()
    expect(page.get_by_test_id("booking-row")).to_have_count(len(event.days))
    # The same startup on A2 at the same time is refused.
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/hall")
    page.locator('[data-testid="plan-stand"][data-number="A2"]').click()
    page.get_by_label("Startup").select_option(label="Nébuleuse Mobilité")
    page.get_by_label("Jour").select_option(index=1)
    page.get_by_role("button", name="Réserver", exact=True).click()
    expect(page.locator("#registration_id-err")).to_have_text(
        "Cette startup occupe déjà le stand A1 à ce moment-là.")
    shoot(page, "hall-stand-booking-refused-fr")

    page.get_by_role("link", name="Hall et stands").click()
    expect(page.locator('[data-testid="plan-stand"][data-number="A1"]')).to_contain_text("Nébuleuse Mobilité")
    shoot(page, "hall-plan-fr")

    # Tour slots.
    page.get_by_role("link", name="Créneaux de visite").click()
    page.get_by_label("Jour").select_option(index=0)
    page.get_by_label("De", exact=True).fill("10:00")
    page.get_by_label("À", exact=True).fill("12:00")
    page.get_by_label("Libellé", exact=True).fill("Parcours du matin")
    page.get_by_role("button", name="Ajouter le créneau").click()
    expect(page.get_by_test_id("slot-row")).to_have_count(1)
    expect(page.get_by_test_id("slot-row")).to_contain_text("10:00–12:00")
    page.get_by_label("De", exact=True).fill("11:00")
    page.get_by_label("À", exact=True).fill("13:00")
    page.get_by_role("button", name="Ajouter le créneau").click()
    expect(page.locator("#start-err")).to_contain_text("Ce créneau chevauche celui du mercredi 2 juin, 10:00–12:00.")
    shoot(page, "hall-slots-fr")
    context.close()

    stands = {s.number: s for s in db.session.scalars(select(Stand))}
    assert sorted(stands) == ["A1", "A2", "A3"] and stands["A3"].capacity == 2
    assert len(db.session.scalars(select(StandBooking)).all()) == len(event.days)
    assert len(db.session.scalars(select(TourSlot)).all()) == 1


def test_a_full_hall_reads_well(browser: Browser, live_server, event, make_organiser, make_registration, shoot):
    """Two rows of stands with themes, holders, a big stand for three groups, two entrances."""
    from datetime import time

    from app.demonstrator.hall import calendar as hall_calendar
    from app.demonstrator.hall import services as hall_services

    organiser = make_organiser(event)
    themes = event.themes
    names = ["Nébuleuse Mobilité", "Watt & Co", "Datapolis", "Santé Proxi", "Cyclo Logistique", "Agrivolt",
             "Eau Claire", "Urbanéo", "Kiosque Civique", "Lumen Rénovation", "Mobil'Hop", "Territoire Data"]
    startups = [confirm(make_registration(event, CategoryCode.STARTUP, organisation_name=n)) for n in names]
    stands = []
    for row, y in enumerate((8, 24)):
        for i in range(7):
            number = f"{'AB'[row]}{i + 1}"
            stands.append(hall_services.save_stand(event, hall_services.StandInput(
                number, x=6 + 7 * i, y=y, width=5, depth=4, zone="Hall nord" if row == 0 else "Hall sud",
                theme_id=themes[(i // 2) % len(themes)].id, capacity=3 if number == "B4" else 1), actor_id=None))
    for stand, startup in zip(stands, startups):
        hall_calendar.book(event, stand, startup, event.days, time(9), time(18), actor_id=None)
    hall_services.save_entrance(event, "Entrée principale", 30, 40, actor_id=None)
    hall_services.save_entrance(event, "Accès parking", 0, 20, actor_id=None)
    db.session.commit()

    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 900})
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/hall")
    expect(page.get_by_test_id("plan-stand")).to_have_count(14)
    expect(page.locator('[data-testid="plan-stand"][data-number="A1"]')).to_contain_text("Nébuleuse")
    expect(page.get_by_test_id("plan-legend")).to_contain_text(themes[0].name_fr)
    shoot(page, "hall-full-fr")

    # Without sight: the plan is a group of named stand links, not a picture the keyboard lands inside;
    # every stand is in the table after it; no id twice.
    assert images_holding_focusables(page) == []
    assert duplicate_ids(page) == []
    plan = page.get_by_role("group", name="Plan du hall, 60 × 40 m, 14 stands")
    expect(plan).to_have_attribute("aria-describedby", "plan-text-summary")
    page.get_by_test_id("plan-text").locator("summary").click()
    rows = page.get_by_test_id("plan-text-row")
    expect(rows).to_have_count(14)
    expect(rows.first).to_contain_text("A1")
    expect(rows.first).to_contain_text("Nébuleuse Mobilité")
    expect(rows.first).to_contain_text("Hall nord")
    expect(rows.first).to_contain_text(themes[0].name_fr)
    expect(rows.filter(has_text="B4")).to_contain_text("3")
    assert [rows.nth(i).locator("th").inner_text() for i in range(14)] == [s.number for s in stands]
    # The keyboard: from the top of the page, Tab reaches the stands in their numbers' order, each named
    # with its startup, zone and theme, and framed thick and dark while it has the focus.
    page.locator("h1").click()
    tab_until(page, "#hall-svg a.stand")
    focused = page.locator("#hall-svg a.stand:focus")
    expect(focused).to_have_attribute("data-number", "A1")
    expect(focused).to_have_accessible_name(
        f"Stand A1 – Nébuleuse Mobilité, Hall nord, {themes[0].name_fr} · 5 × 4 m")
    expect(focused.locator("rect").first).to_have_css("stroke-width", "0.55px")
    page.keyboard.press("Tab")
    expect(page.locator("#hall-svg a.stand:focus")).to_have_attribute("data-number", "A2")
    shoot(page, "hall-stand-focused-fr")
    # Just before the stands, a link that skips them all lands on the table of the plan in words.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("data-testid", "plan-skip")
    expect(skip).to_be_visible()
    expect(skip).to_have_text("Passer les 14 stands du plan")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("plan-text-summary")
    assert axe_violations(page, "#plan", "[data-testid=plan-text]") == []

    # A phone: the page does not scroll sideways, the plan does, in its box, at a size where the stands'
    # numbers are legible (at the phone's width they would be 6 px high).
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    number = page.locator('[data-testid="plan-stand"][data-number="A1"] .stand-number')
    assert number.bounding_box()["height"] >= 10
    shoot(page, "hall-phone-fr")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/hall?colour=zone")
    expect(page.get_by_test_id("plan-legend")).to_contain_text("Hall nord")

    # The planning settings: a hall too small for the stands is refused, a slower pace is saved.
    page.get_by_role("link", name="Réglages du planning").click()
    page.get_by_label("Largeur du hall (m)").fill("40")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    expect(page.locator("#width-err")).to_have_text("Le stand A6 serait en dehors d'un hall aussi petit.")
    page.get_by_label("Largeur du hall (m)").fill("60")
    page.get_by_label("Allure de marche (m par minute)").fill("35")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    expect(page.locator(".flash-success")).to_have_text("Les réglages sont enregistrés.")
    expect(page.get_by_label("Allure de marche (m par minute)")).to_have_value("35")
    shoot(page, "hall-settings-fr")
    page.close()
