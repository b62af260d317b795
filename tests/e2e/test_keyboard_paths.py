"""The main paths with a keyboard only (issue 27, RGAA 4.1 / WCAG 2.1 AA): Tab stops in reading order, each with
a visible focus ring; no change of context on input (a filter applies with its button, never on an arrow key);
after a failed submit the focus goes to the error summary, whose links move it to the field; after pairing, the
scanner's focus goes to its scan area. Small data built by hand, one edition per test."""
import re
from datetime import time

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.badging import services as badging
from app.badging.models import format_short_code
from app.events.models import CategoryCode
from app.extensions import db
from app.leads.devices import start_pairing
from app.leads.models import Lead
from app.program import services as program
from app.program.models import AgendaEntry, SessionKind
from app.registrations.models import Registration
from app.registrations.services import approve
from tests.conftest import TEST_PASSWORD

FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {id: e.id, tag: e.tagName.toLowerCase(), name: e.getAttribute('name'), text: (e.innerText || '').trim(),
          visible: e.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def assert_ring(page: Page) -> dict:
    """The element with the focus shows it: :focus-visible matches and its outline is drawn."""
    now = focused(page)
    assert now["visible"] and now["outline"] != "none" and now["width"] >= 2, now
    return now


def tab_until(page: Page, matches, limit: int = 80) -> dict:
    """Press Tab until the focused element satisfies `matches`; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = assert_ring(page)
        if matches(now):
            return now
    raise AssertionError(f"not reached in {limit} Tab presses; last focus: {focused(page)}")


def mark_page(page: Page) -> None:
    page.evaluate("() => { window.__notReloaded = true; }")


def assert_not_reloaded(page: Page, url: str) -> None:
    page.wait_for_timeout(700)  # long enough for a submit-on-change to have reloaded the page
    assert page.url == url
    assert page.evaluate("() => window.__notReloaded === true"), "the page reloaded on an arrow key"


def arrow_to(page: Page, select_id: str, value: str, limit: int = 20) -> None:
    """Choose a value in a focused select with the arrow key, as a keyboard user does."""
    for _ in range(limit):
        if page.locator(f"#{select_id}").input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value!r} not reached in #{select_id}")


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_load_state()


def test_register_with_the_keyboard(page: Page, live_server, event, shoot):
    page.goto(f"{live_server}/e/{event.slug}/register/visiteur")
    form = page.locator("main form")
    # Tab order = reading order: every control of the form, once each, from the first name to the button.
    expected = form.locator("input:not([type=hidden]), select, textarea, button").evaluate_all(
        "els => els.map(e => e.id || e.textContent.trim())")
    first = tab_until(page, lambda f: f["id"] == "first_name")
    order = [first["id"]]
    while focused(page)["tag"] != "button":
        page.keyboard.press("Tab")
        now = assert_ring(page)
        order.append(now["id"] or now["text"])
    assert order == expected
    assert [i for i in order if i.startswith("days-")] == [f"days-{n}" for n in range(len(event.days))]

    # One day is enough: the browser does not ask for each; the server asks for one when none is ticked.
    assert page.locator("input[name=days][required]").count() == 0
    expect(page.get_by_role("group", name=re.compile("Jours de présence"))).to_be_visible()

    # A failed submit: the focus lands on the error summary, which names each field; its link moves the focus.
    page.locator("#first_name").focus()
    page.keyboard.type("Léa")
    page.keyboard.press("Enter")
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(3)  # last name, e-mail, days
    shoot(page, "keyboard-register-error-summary-fr")
    link = tab_until(page, lambda f: f["tag"] == "a" and "Nom" in f["text"])
    assert "Nom" in link["text"]
    page.keyboard.press("Enter")
    expect(page.locator("#last_name")).to_be_focused()
    assert_ring(page)
    expect(page.locator("#last_name")).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("Martin")
    page.keyboard.press("Tab")
    page.keyboard.type("lea.martin@example.org")
    summary.get_by_role("link", name=re.compile("Jours")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#days-0")).to_be_focused()
    expect(page.get_by_role("group", name=re.compile("Jours de présence"))).to_have_attribute(
        "aria-describedby", "days-err")
    page.keyboard.press("Space")
    expect(page.locator("#days-0")).to_be_checked()
    tab_until(page, lambda f: f["tag"] == "button")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("registration-status")).to_be_visible()
    registration = db.session.scalar(select(Registration))
    assert registration.person.email == "lea.martin@example.org" and registration.days == [event.starts_on.isoformat()]


def test_program_filters_and_agenda_with_the_keyboard(page: Page, live_server, event, make_registration, shoot):
    attendee = make_registration(event)
    set_password(attendee.person, TEST_PASSWORD)
    for title, kind, start in (("Plénière d'ouverture", SessionKind.PLENIERE, time(9)),
                               ("Atelier cœurs de ville", SessionKind.ATELIER, time(11))):
        program.save_session(event, program.SessionInput(kind=kind, title_fr=title, title_en=title, day=event.starts_on,
                                                         start=start, end=start.replace(hour=start.hour + 1)),
                             actor_id=None)
    db.session.commit()
    program.publish(event, actor_id=None)
    db.session.commit()
    log_in(page, live_server, attendee.person.email)

    page.goto(f"{live_server}/e/{event.slug}/program?day={event.starts_on.isoformat()}")
    expect(page.get_by_test_id("program-session")).to_have_count(2)
    url = page.url
    mark_page(page)
    tab_until(page, lambda f: f["id"] == "f-kind")
    page.keyboard.press("ArrowDown")  # a new value in the select: nothing else happens
    assert_not_reloaded(page, url)
    expect(page.locator("#f-kind")).to_be_focused()
    arrow_to(page, "f-kind", "atelier")
    assert_not_reloaded(page, url)
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Filtrer")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("kind=atelier"))
    expect(page.get_by_test_id("program-session")).to_have_count(1)
    expect(page.locator("#f-kind")).to_have_value("atelier")
    shoot(page, "keyboard-program-filtered-fr")

    tab_until(page, lambda f: f["tag"] == "a" and "Atelier cœurs de ville" in f["text"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Atelier cœurs de ville")).to_be_visible()
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Ajouter à mon agenda")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("my-status")).to_contain_text("Dans mon agenda")
    assert db.session.scalar(select(AgendaEntry).where(AgendaEntry.registration_id == attendee.id)) is not None


def test_scanner_pairs_and_records_a_typed_code_with_the_keyboard(browser, live_server, event, make_registration,
                                                                   shoot):
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    visitor = make_registration(event, first_name="Josée", last_name="Bouchard-Côté")
    approve(event, [stand.id, visitor.id], actor_id=None)
    db.session.commit()
    code = badging.current_token(visitor).token
    db.session.commit()
    pairing = start_pairing(stand, "Téléphone d'Inès", actor_id=None)

    context = browser.new_context(locale="fr-FR", viewport={"width": 412, "height": 915})
    page = context.new_page()
    page.goto(f"{live_server}/scan/")
    expect(page.locator("main")).to_have_count(1)
    tab_until(page, lambda f: f["id"] == "pair-code")
    page.keyboard.type(pairing.code)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("stand-name")).to_have_text("Capteurs du Morvan")
    # The pairing form is gone: the focus is on the scan area's heading, not lost on the page's body.
    expect(page.get_by_role("heading", name="Scanner un badge")).to_be_focused()
    tab_until(page, lambda f: f["id"] == "camera-start")
    tab_until(page, lambda f: f["id"] == "code-input")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("scan-name")).to_have_text("Josée Bouchard-Côté")
    expect(page.locator("#code-input")).to_be_focused()  # ready for the next code
    shoot(page, "keyboard-scanner-fr")
    db.session.expire_all()
    assert db.session.scalar(select(Lead).where(Lead.registration_id == visitor.id)) is not None
    context.close()


def test_door_check_in_and_registrations_list_with_the_keyboard(page: Page, live_server, event, make_organiser,
                                                                make_registration, shoot):
    organiser = make_organiser(event)
    guest = make_registration(event, first_name="Réjean", last_name="Tremblay")
    make_registration(event, CategoryCode.ELU, first_name="Claire", last_name="Dubois")
    approve(event, [guest.id], actor_id=None)
    db.session.commit()
    typed = format_short_code(badging.current_token(guest).short_code)
    db.session.commit()
    log_in(page, live_server, organiser.email)

    # The door: the code field has the focus; type, Enter, the welcome, and the field is ready again.
    page.goto(f"{live_server}/manage/e/{event.slug}/badges/checkin")
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("checkin-result")).to_contain_text("Bienvenue")
    expect(page.get_by_test_id("checkin-result")).to_contain_text("Réjean Tremblay")
    expect(page.locator("#code")).to_be_focused()
    shoot(page, "keyboard-door-fr")

    # The registrations list: an arrow key in a filter changes nothing until the button; then open a person.
    page.goto(f"{live_server}/manage/e/{event.slug}/registrations")
    expect(page.get_by_test_id("registration-row")).to_have_count(2)
    url = page.url
    mark_page(page)
    tab_until(page, lambda f: f["id"] == "category")
    page.keyboard.press("ArrowDown")
    assert_not_reloaded(page, url)
    arrow_to(page, "category", "elu")
    assert_not_reloaded(page, url)
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Filtrer")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("category=elu"))
    expect(page.get_by_test_id("registration-row")).to_have_count(1)
    tab_until(page, lambda f: f["tag"] == "a" and "DUBOIS" in f["text"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Claire Dubois"))).to_be_visible()
    shoot(page, "keyboard-registration-fr")
