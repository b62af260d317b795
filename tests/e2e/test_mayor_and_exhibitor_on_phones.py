"""The mayor and the exhibitor on their phones (390x844): her agenda warns of a day she does not attend; he pairs
his phone with one tap, types a badge code, reloads, finds the scan again and adds a note."""
from datetime import time
from time import monotonic, sleep

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.badging import services as badging
from app.events.models import CategoryCode
from app.extensions import db
from app.leads.models import Lead
from app.program import services as program
from app.program.models import SessionKind
from app.registrations.services import approve
from tests.conftest import TEST_PASSWORD

PHONE = {"width": 390, "height": 844}


def phone(browser: Browser):
    return browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)


def log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login" not in url)


def no_sideways_scrolling(page):
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_mayors_agenda_warns_of_a_day_she_does_not_attend(browser: Browser, live_server, event,
                                                               make_registration, shoot):
    wednesday, thursday, friday = event.days
    mayor = make_registration(event, CategoryCode.ELU, first_name="Claire", last_name="Vasseur",
                              days=[wednesday, thursday], mandate_title="Mairesse")
    set_password(mayor.person, TEST_PASSWORD)
    sessions = []
    for title, day, kind, seats in (("Plénière : la ville moyenne en 2040", thursday, SessionKind.PLENIERE, None),
                                    ("Atelier : données ouvertes des mairies", friday, SessionKind.ATELIER, 20)):
        sessions.append(program.save_session(event, program.SessionInput(kind=kind, title_fr=title, title_en="", day=day,
                                                         start=time(10, 0),
                                                         end=time(11, 30), room_id=None,
                                                         seat_limit=seats, speakers=[]), actor_id=None).id)
    program.publish(event, actor_id=None)
    db.session.commit()

    context = phone(browser)
    page = context.new_page()
    log_in(page, live_server, mayor.person.email)
    plenary, workshop = sessions
    page.goto(f"{live_server}/e/{event.slug}/program?day={friday.isoformat()}")
    page.get_by_role("link", name="Atelier : données ouvertes des mairies").first.click()
    expect(page.get_by_test_id("day-warning")).to_contain_text("vendredi 4 juin")
    page.get_by_role("button", name="Réserver une place").click()
    expect(page.locator(".flash-warning").first).to_contain_text("Attention : cette séance a lieu le vendredi 4 juin")
    page.goto(f"{live_server}/e/{event.slug}/program/{plenary}")
    expect(page.get_by_test_id("day-warning")).to_have_count(0)
    page.get_by_role("button", name="Ajouter à mon agenda").click()

    page.goto(f"{live_server}/e/{event.slug}/agenda")
    warning = page.get_by_test_id("day-warning")
    expect(warning).to_contain_text("1 élément de votre agenda tombe un jour où vous n'êtes pas inscrit·e.")
    expect(warning).to_contain_text("mercredi 2 juin et jeudi 3 juin")
    expect(page.get_by_test_id("agenda-item")).to_have_count(2)
    flagged = page.get_by_test_id("agenda-item").filter(has=page.get_by_test_id("off-day"))
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("données ouvertes")
    no_sideways_scrolling(page)
    shoot(page, "mayor-agenda-day-warning-phone")
    context.close()


def test_the_exhibitor_pairs_with_one_tap_scans_reloads_and_adds_a_note(browser: Browser, live_server, event,
                                                                        make_registration, shoot):
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan",
                              first_name="Inès", last_name="Fondatrice")
    visitor = make_registration(event, CategoryCode.ELU, first_name="Josée", last_name="Bouchard-Côté",
                                email="josee.bouchard-cote.longue-adresse@ville-de-shawinigan.qc.ca",
                                organisation_name="Ville de Shawinigan", consent_share_contact=True,
                                mandate_title="Mairesse", territory="Shawinigan")
    approve(event, [stand.id, visitor.id], actor_id=None)
    set_password(stand.person, TEST_PASSWORD)
    db.session.commit()
    code = badging.current_token(visitor).token
    db.session.commit()

    context = phone(browser)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, stand.person.email)
    page.goto(f"{live_server}/e/{event.slug}/stand/devices")
    shoot(page, "exhibitor-devices-one-tap-phone")
    page.get_by_test_id("pair-this-phone").click()
    expect(page.get_by_test_id("stand-name")).to_have_text("Capteurs du Morvan")
    assert "#" not in page.url  # the pairing code does not stay in the address

    page.locator("#code-input").fill(code)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_test_id("scan-name")).to_have_text("Josée Bouchard-Côté")
    expect(page.get_by_test_id("pending-count")).to_have_text("0")

    # A reload with this phone's own list gone: the server lists the device's scans again.
    page.evaluate("localStorage.removeItem('mediane.scanner.recent')")
    page.reload()
    recent = page.get_by_test_id("recent")
    expect(recent).to_contain_text("Josée Bouchard-Côté")
    expect(page.get_by_test_id("scan-feedback")).to_be_hidden()
    shoot(page, "scanner-recent-after-reload-phone")

    recent.get_by_role("button").filter(has_text="Josée Bouchard-Côté").click()
    expect(page.get_by_test_id("scan-feedback")).to_contain_text("Rouvert")
    page.get_by_label("Notes (vos mots)").fill("Veut un pilote à Shawinigan en septembre")
    page.locator("#note-form .rating label").filter(has_text="4").click()
    page.get_by_role("button", name="Enregistrer les notes").click()
    expect(page.get_by_test_id("pending-count")).to_have_text("0")
    expect(recent).to_contain_text("Intérêt 4/5")
    expect(recent).to_contain_text("Veut un pilote")
    shoot(page, "scanner-reopened-note-phone")
    # "0 to send" also held before the note was queued: the server is read until the upload has landed.
    deadline = monotonic() + 15
    while True:
        db.session.expire_all()
        lead = db.session.scalar(select(Lead))
        if lead.notes or monotonic() > deadline:
            break
        sleep(0.1)
    assert lead.notes == "Veut un pilote à Shawinigan en septembre" and lead.rating == 4 and lead.num_scans == 1

    # The contact list fits the phone: a card per person, nothing cut on the right.
    page.goto(f"{live_server}/e/{event.slug}/stand/")
    row = page.get_by_test_id("contact-row")
    expect(row).to_contain_text("josee.bouchard-cote.longue-adresse@ville-de-shawinigan.qc.ca")
    expect(row).to_contain_text("4/5")
    no_sideways_scrolling(page)
    shoot(page, "exhibitor-contacts-phone")
    assert errors == []
    context.close()
