"""The accessibility statement in a browser: reached from a public page's footer, read in French and in English,
on a desktop and on a phone, and a problem reported to the organisers; axe-core finds nothing on these pages."""
from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.accessibility.grid import load
from app.accessibility.models import AccessibilityReport
from app.extensions import db
from app.auth.services import set_password
from app.mail.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from tests.demonstrator.conftest import world  # noqa: F401  (the small demonstrator, as a fixture here)
from tests.demonstrator.test_visit_routes import plan_and_publish
from tests.e2e.axe import AXE_JS
from tests.e2e.test_visits_flow import log_in

WCAG_AA = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


def assert_no_axe_violations(page: Page) -> None:
    """axe-core's WCAG 2.1 A and AA rules on the page as it stands; each violation named with its elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(f"axe.run(document, {WCAG_AA})")
    found = [f"{v['id']}: {v['help']} on {[n['target'] for n in v['nodes']]}" for v in result["violations"]]
    assert not found, f"{page.url}\n" + json.dumps(found, indent=1, ensure_ascii=False)


def test_the_statement_from_the_footer_in_both_languages_and_a_report_sent(browser: Browser, live_server, app,
                                                                              make_event, make_organiser, shoot):
    event = make_event()
    organiser = make_organiser(event, "orga@example.org")
    grid = load(app.config["ACCESSIBILITY_GRID"])
    rate_fr = f"{grid.rate}".replace(".", ",")

    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/e/{event.slug}/")
    footer_link = page.locator("footer").get_by_role("link", name="Accessibilité : partiellement conforme")
    expect(footer_link).to_be_visible()
    footer_link.click()
    expect(page).to_have_url(f"{live_server}/accessibilite")
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(page.get_by_test_id("compliance-status")).to_contain_text("partiellement conforme au RGAA 4.1")
    expect(page.get_by_test_id("compliance-rate")).to_contain_text(f"{rate_fr} % des critères du RGAA 4.1")
    expect(page.get_by_test_id("non-conformities").locator("li")).to_have_count(grid.num_not_conforming)
    expect(page.get_by_test_id("recourse")).to_contain_text("Libre réponse 71120")
    assert_no_axe_violations(page)
    shoot(page, "accessibility-statement-fr")

    # A report without an e-mail address is refused, with the reason next to the field.
    form = page.get_by_test_id("report-form")
    form.get_by_label("Page concernée (son adresse ou son titre)").fill("Programme")
    form.get_by_label("Le problème rencontré").fill("Le filtre Thématique recharge la page au clavier.")
    form.get_by_role("button", name="Envoyer aux organisateurs").click()
    expect(page.get_by_text("Indiquez une adresse e-mail pour que les organisateurs puissent vous répondre."))\
        .to_be_visible()
    assert db.session.scalars(select(AccessibilityReport)).all() == []
    assert_no_axe_violations(page)

    form = page.get_by_test_id("report-form")
    form.get_by_label("Votre nom (facultatif)").fill("Inès Morel")
    form.get_by_label("Votre adresse e-mail, pour la réponse").fill("ines.morel@example.org")
    form.get_by_role("button", name="Envoyer aux organisateurs").click()
    expect(page.get_by_role("status")).to_contain_text("Merci : votre message a été envoyé aux organisateurs.")
    expect(page).to_have_url(f"{live_server}/accessibilite")
    assert_no_axe_violations(page)
    shoot(page, "accessibility-report-sent")
    db.session.expire_all()
    report = db.session.scalars(select(AccessibilityReport)).one()
    assert (report.email, report.page) == ("ines.morel@example.org", "Programme")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == organiser.email and "Le filtre Thématique" in mail.body

    # The language switcher leads to the English statement, with the same figures.
    page.get_by_role("link", name="EN", exact=True).click()
    expect(page).to_have_url(f"{live_server}/accessibility")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_test_id("compliance-rate")).to_contain_text(f"{grid.rate} % of the RGAA 4.1 criteria are met")
    expect(page.locator("footer").get_by_role("link", name="Accessibility: partially compliant")).to_be_visible()
    assert_no_axe_violations(page)
    shoot(page, "accessibility-statement-en")
    context.close()

    # On a phone.
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    page.goto(f"{live_server}/accessibilite")
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_no_axe_violations(page)
    page.goto(f"{live_server}/accessibility")
    assert_no_axe_violations(page)
    shoot(page, "accessibility-statement-en-phone")
    phone.close()


def test_the_html_versions_of_the_badge_and_the_route_sheets(browser: Browser, live_server, world,  # noqa: F811
                                                               make_organiser, shoot):
    """Next to each PDF people read, its HTML version: an official's badge, the guides' sheets of a day."""
    plan = plan_and_publish(world)
    official = world.officials[0]
    set_password(official.person, TEST_PASSWORD)
    db.session.commit()

    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    log_in(page, live_server, official.person.email)
    page.goto(f"{live_server}/me")
    expect(page.get_by_role("link", name="Mon badge (PDF, à imprimer)")).to_be_visible()
    page.get_by_test_id("my-badge-html").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon badge")
    expect(page.get_by_test_id("badge-name")).to_have_text(official.person.full_name)
    expect(page.get_by_test_id("badge-category")).to_have_text("Élu")
    expect(page.get_by_test_id("badge-code")).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    assert_no_axe_violations(page)
    shoot(page, "badge-html-phone")
    phone.close()

    organiser = make_organiser(world.event)
    desk = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = desk.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{world.event.slug}/demonstrator/sheets")
    tours = {(v.visitor_key, v.tour) for v in plan.visits}
    expect(page.get_by_test_id("sheet-tour-html")).to_have_count(len(tours))  # each sheet's page, by its PDF
    page.get_by_test_id("sheet-tour-html").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiches de parcours")
    expect(page.get_by_test_id("sheet-page-tour")).to_have_count(1)
    first = page.get_by_test_id("sheet-page-stops").first
    expect(first.locator("caption")).to_contain_text("dans l'ordre de la marche")
    expect(first.locator("tbody tr").first.locator("td").first).to_have_text("1")
    assert_no_axe_violations(page)
    shoot(page, "route-sheets-html")
    desk.close()
