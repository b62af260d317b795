"""axe-core (WCAG 2.1 A and AA) on the pages of one demo summit, as each of its people sees them: the public,
an official, a startup at its stand, the door staff and the organiser, in French and in English, at a desk and
on a phone. The conftest's `axe` fixture checks every page; this test makes sure the pages are many and
various (at least 40 distinct ones), and that the app's production Content-Security-Policy is what the browser
received while axe ran."""
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.core.security import CSP
from app.demonstrator.plans import planning
from app.events.models import Category, Event
from app.extensions import db
from app.meetings.placement.models import MeetingPlacement, PlaceKind
from app.program.models import ProgramSession
from app.registrations.models import Delegation, Registration
from tests.conftest import TEST_PASSWORD
from tests.e2e.test_visits_flow import log_in

DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def visit(page: Page, axe, url: str) -> None:
    """Open a page, insist that it answered, and have axe check it now (the fixture fails the test at the end)."""
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    axe.scan(page)


def test_forty_pages_of_the_demo_summit_pass_axe(browser: Browser, live_server, axe, planned_demo_summit):
    summary = planned_demo_summit
    event = db.session.get(Event, summary.event_id)
    plan = planning.published_plan(event)
    visit_ = next(v for v in plan.visits if v.registration_id is not None and v.startup_id is not None)
    official = db.session.get(Registration, visit_.registration_id)
    startup = db.session.get(Registration, visit_.startup_id)
    for person in (official.person, startup.person):
        set_password(person, TEST_PASSWORD)
    db.session.commit()
    first = lambda model, *where: db.session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))  # noqa: E731
    delegation_id = first(Delegation, Delegation.event_id == event.id)
    placement_id = first(MeetingPlacement, MeetingPlacement.event_id == event.id,
                         MeetingPlacement.kind == PlaceKind.TABLE, MeetingPlacement.starts_at.is_not(None))
    session_id = first(ProgramSession, ProgramSession.event_id == event.id)
    code = db.session.scalar(select(Category.code).where(Category.event_id == event.id).order_by(Category.id).limit(1))
    e, m = f"{live_server}/e/{event.slug}", f"{live_server}/manage/e/{event.slug}"
    pages_before = len(axe.pages)

    # The public, in French, then in English.
    public = browser.new_context(locale="fr-FR", viewport=DESK)
    page = public.new_page()
    response = page.goto(f"{live_server}/")
    assert response.headers["content-security-policy"] == CSP  # axe ran without touching the app's CSP
    for url in (f"{e}/", f"{e}/register", f"{e}/register/{code}", f"{e}/program", f"{e}/program/{session_id}",
                f"{live_server}/password/forgot"):
        visit(page, axe, url)
    page.goto(f"{live_server}/lang/en?next=/")
    for url in (f"{live_server}/", f"{e}/", f"{e}/register/{code}", f"{e}/program"):
        visit(page, axe, url)
    public.close()

    # An official: her registrations, agenda, route, wishes; in English too.
    desk = browser.new_context(locale="fr-FR", viewport=DESK)
    page = desk.new_page()
    log_in(page, live_server, official.person.email)
    for url in (f"{live_server}/me", f"{e}/agenda", f"{e}/demonstrator/route", f"{e}/demonstrator/wishes",
                f"{e}/scanned-me", f"{e}/meetings/", f"{e}/meetings/directory", f"{e}/meetings/schedule"):
        visit(page, axe, url)
    page.goto(f"{live_server}/lang/en?next=/me")
    for url in (f"{live_server}/me", f"{e}/agenda", f"{e}/demonstrator/route"):
        visit(page, axe, url)
    desk.close()

    # A startup at its stand: the briefing, its contacts and devices, the scanner.
    desk = browser.new_context(locale="fr-FR", viewport=DESK)
    page = desk.new_page()
    log_in(page, live_server, startup.person.email)
    for url in (f"{e}/demonstrator/briefing", f"{e}/stand/", f"{e}/stand/devices", f"{live_server}/scan/"):
        visit(page, axe, url)
    desk.close()

    # The door staff.
    desk = browser.new_context(locale="fr-FR", viewport=DESK)
    page = desk.new_page()
    log_in(page, live_server, summary.door_email)
    for url in (f"{m}/badges/checkin", f"{m}/badges/arrivals"):
        visit(page, axe, url)
    desk.close()

    # The organiser's back office, in French, then a few pages in English. The pages that take axe seconds on the
    # demo's thousand people (the hall, the plan, its occupancy, the sheets, the wishes' heat map, the realised
    # summary) are checked by their own browser tests, on smaller editions.
    desk = browser.new_context(locale="fr-FR", viewport=DESK)
    page = desk.new_page()
    log_in(page, live_server, summary.organiser_email)
    for url in (f"{live_server}/manage/", f"{m}/", f"{m}/registrations", f"{m}/registrations/{official.id}",
                f"{m}/delegations", f"{m}/delegations/{delegation_id}", f"{m}/program/", f"{m}/program/rooms",
                f"{m}/program/sessions/{session_id}", f"{m}/imports/", f"{m}/badges/",
                f"{m}/demonstrator/settings", f"{m}/demonstrator/slots", f"{m}/demonstrator/availability",
                f"{m}/demonstrator/plans/", f"{m}/demonstrator/plans/{plan.id}/map",
                f"{m}/demonstrator/realised/officials/{official.id}", f"{m}/contacts/", f"{m}/settings",
                f"{m}/categories", f"{m}/themes", f"{m}/team/", f"{m}/jobs/", f"{m}/outbox", f"{m}/meetings/",
                f"{m}/meetings/settings", f"{m}/meetings/placement/", f"{m}/meetings/placement/{placement_id}",
                f"{m}/meetings/day", f"{m}/audit"):
        visit(page, axe, url)
    page.goto(f"{live_server}/lang/en?next=/manage/")
    for url in (f"{m}/", f"{m}/registrations", f"{m}/settings", f"{m}/jobs/"):
        visit(page, axe, url)
    desk.close()

    # On a phone: the official's day, the startup's briefing, the organiser's lists.
    phone = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server, official.person.email)
    for url in (f"{live_server}/me", f"{e}/agenda", f"{e}/demonstrator/route", f"{e}/program", f"{e}/meetings/",
                f"{e}/meetings/directory"):
        visit(page, axe, url)
    phone.close()
    phone = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server, summary.organiser_email)
    for url in (f"{m}/", f"{m}/registrations", f"{m}/badges/checkin", f"{m}/meetings/", f"{m}/meetings/placement/"):
        visit(page, axe, url)
    phone.close()

    checked = len(axe.pages) - pages_before
    assert checked >= 40, f"axe checked only {checked} distinct pages"


def test_axe_names_the_rule_the_element_and_the_page_and_leaves_the_csp_alone(browser: Browser, live_server, axe):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    response = page.goto(f"{live_server}/login")
    assert response.headers["content-security-policy"] == CSP
    axe.scan(page)
    # The CSP still holds in the page axe checks: an inline script does not run.
    assert page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1';
                                    document.head.append(s); return window.inlineRan === undefined; }""")
    # A page with an image without a text alternative (served by the test, not the app) fails with all it needs.
    page.route("**/probe", lambda route: route.fulfill(
        content_type="text/html", body='<!doctype html><html lang="fr"><title>t</title><main><img src="/x.png"></main>'))
    page.goto(f"{live_server}/probe")
    found = axe.scan(page)
    assert len(found) == 1
    assert "[image-alt]" in found[0] and f"page: {live_server}/probe" in found[0]
    assert "element: img" in found[0] and 'html: <img src="/x.png">' in found[0]
    axe.violations.clear()  # what this test planted
    context.close()


def test_the_first_tab_shows_the_skip_link_and_enter_lands_in_the_content(browser: Browser, live_server, event):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/e/{event.slug}/")
    skip = page.get_by_role("link", name="Aller au contenu principal")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("a => getComputedStyle(a).outlineStyle + ' ' + getComputedStyle(a).outlineWidth")
    assert outline == "solid 3px", outline
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the content, not the top bar
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    context.close()
