"""What people get from a published visit plan, in a browser: an official's route on a phone with the
iCal download, a startup's printable briefing, the organisers' route sheets."""
import re
from pathlib import Path

import pypdfium2 as pdfium
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from app.auth.services import set_password
from app.demonstrator.hall import services as hall_services
from app.demonstrator.plans import editing, planning
from app.demonstrator.wishes import services as preferences
from app.demonstrator.wishes.models import WishKind
from app.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.demonstrator.conftest import world  # noqa: F401  (the small demonstrator, as a fixture here)
from tests.e2e.keyboard import axe_violations, images_holding_focusables

PHONE = {"width": 390, "height": 844}


def log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login" not in url)


def publish_a_plan(w):
    """Zones, a named entrance and wishes on both sides, then a computed and published plan."""
    hall_services.save_entrance(w.event, "Entrée principale", 0, 20, actor_id=None)
    for i, stand in enumerate(w.stands):
        stand.zone = "Allée Mobilités" if i < 2 else "Allée Santé"
    for i, startup in enumerate(w.startups):
        startup.organisation.pitch = ["Capteurs de stationnement pour les centres-villes",
                                      "Réseaux de chaleur pilotés par les données",
                                      "Plateforme de données ouvertes pour les mairies",
                                      "Télécabines de santé en zone rurale"][i]
    preferences.set_wish(w.event, w.officials[0], w.startups[0], WishKind.WANT, actor_id=None)
    preferences.set_wish(w.event, w.startups[0], w.officials[0], WishKind.WANT, actor_id=None)
    preferences.set_wish(w.event, w.officials[4], w.startups[3], WishKind.WANT, actor_id=None)
    for registration in [*w.officials, *w.startups]:
        set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    plan = planning.request_plan(w.event, planning.PlanRequest(time_limit=2), actor_id=None)
    plan = db.session.get(planning.VisitPlan, plan.id, populate_existing=True)
    editing.publish(plan, actor_id=None)
    return plan


def test_official_route_ics_startup_briefing_and_guides_sheets(browser: Browser, live_server, world, make_organiser,  # noqa: F811
                                                               shoot, tmp_path: Path):
    plan = publish_a_plan(world)
    official = world.officials[0]
    mine = [v for v in plan.visits if v.visitor_key == f"r{official.id}"]
    slug = world.event.slug

    # An official on a phone: from their registrations to the route, then the calendar file.
    phone = browser.new_context(locale="fr-FR", viewport=PHONE, accept_downloads=True)
    page = phone.new_page()
    log_in(page, live_server, official.person.email)
    page.goto(f"{live_server}/me")
    page.get_by_test_id("my-visits").click()
    expect(page.get_by_test_id("route-visit")).to_have_count(len(mine))
    wished = page.get_by_test_id("route-visit").filter(has_text="Startup mobilite")
    expect(wished.get_by_test_id("why")).to_contain_text("★")
    expect(page.get_by_test_id("visit-map").first).to_be_visible()
    page.wait_for_load_state("load")  # the stylesheet applied: the width is the phone's layout, not a bare page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    shoot(page, "visits-route-phone-fr")
    # Without sight: the map is named after whose route it is, which day and hours; its description gives
    # the stands in walking order, and it points at the list of stops, which says it all in words.
    route_map = page.get_by_test_id("visit-map").first
    expect(route_map).to_have_accessible_name(re.compile(
        rf"^Plan du hall : parcours de {re.escape(official.person.full_name)} le \w+ \d+ \w+, \d\d:\d\d–\d\d:\d\d$"))
    walk = [v.stand_key.partition("/")[0] for v in sorted(mine, key=lambda v: v.starts_at)]
    expect(route_map).to_have_accessible_description(
        f"Depuis Entrée principale, les stands {', '.join(walk)}, puis retour : chaque arrêt est détaillé après le plan.")
    stops = page.locator("#" + route_map.get_attribute("aria-details"))
    expect(stops.get_by_test_id("route-visit")).to_have_count(len(mine))
    expect(stops).to_have_accessible_name(f"{len(mine)} arrêts, dans l'ordre")
    # Readable on the phone: no stand number a few pixels high, no label over another.
    numbers = route_map.locator(".map-stand-number, .map-stop-stand")
    assert numbers.count() > 0
    expect(numbers.first).to_be_hidden()
    labels = route_map.evaluate("""svg => [...svg.querySelectorAll('text')]
        .map(t => t.getBoundingClientRect()).filter(r => r.width > 0)
        .map(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))""")
    assert labels and min(r["height"] for r in labels) >= 9, labels
    assert not any(a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"]
                   and b["y"] < a["y"] + a["height"] for i, a in enumerate(labels) for b in labels[i + 1:]), labels
    assert images_holding_focusables(page) == []
    assert axe_violations(page, "[data-testid=visit-map]") == []
    with page.expect_download() as download:
        page.get_by_test_id("route-ics").click()
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    calendar = Calendar.from_ical(path.read_bytes())
    visits = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("visit-")]
    assert len(visits) == len(mine)
    assert {e["DTSTART"].params["TZID"] for e in visits} == {"Europe/Paris"}
    assert any("Startup mobilite" in str(e["SUMMARY"]) for e in visits)
    phone.close()

    # The same page on a desktop, for the delegation's lead.
    desk = browser.new_context(locale="fr-FR")
    page = desk.new_page()
    log_in(page, live_server, world.officials[3].person.email)
    page.goto(f"{live_server}/e/{slug}/demonstrator/route")
    expect(page.get_by_test_id("route-tour").first).to_contain_text("Délégation de Bourges")
    shoot(page, "visits-route-delegation-fr")
    desk.close()

    # A startup: its briefing, on a phone and as printed.
    startup = world.startups[3]
    received = [v for v in plan.visits if v.startup_id == startup.id]
    ctx = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = ctx.new_page()
    log_in(page, live_server, startup.person.email)
    page.goto(f"{live_server}/me")
    page.get_by_test_id("my-visits").click()
    expect(page.get_by_test_id("briefing-visit")).to_have_count(len(received))
    expect(page.get_by_test_id("briefing-visit").filter(has_text="Délégation de Bourges")
           .get_by_test_id("briefing-member")).to_have_count(2)
    expect(page.get_by_test_id("wished")).to_have_count(1)
    page.wait_for_load_state("load")  # the stylesheet applied: the width is the phone's layout, not a bare page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "visits-briefing-phone-fr")
    page.set_viewport_size({"width": 1000, "height": 1400})
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    shoot(page, "visits-briefing-print-fr")
    ctx.close()

    # Organisers: the route sheets, one page per tour.
    organiser = make_organiser(world.event)
    ctx = browser.new_context(locale="fr-FR")
    page = ctx.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{slug}/demonstrator/sheets")
    tours = {(v.visitor_key, v.tour) for v in plan.visits}
    expect(page.get_by_test_id("sheet-tour")).to_have_count(len(tours))
    shoot(page, "visits-sheets-fr")
    # One tour's sheet at once (the day's, a background job, is in test_plan_page_flow on the demo summit).
    href = page.get_by_test_id("sheet-tour").first.locator('a[href$=".pdf"]').get_attribute("href")
    response = page.request.get(f"{live_server}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.body())
    try:
        assert len(pdf) == 1
        first = pdf[0].render(scale=1.4).to_pil()
        first.save(Path(__file__).resolve().parents[2] / "test-artifacts" / "visits-sheet-page1.png")
    finally:
        pdf.close()
    ctx.close()
