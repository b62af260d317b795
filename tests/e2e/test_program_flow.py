"""Program editor warnings, publication, and the last workshop seat with its waiting list, in a browser."""
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.conftest import TEST_PASSWORD


def log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_program_from_editor_to_waiting_list(browser: Browser, live_server, event, make_organiser, make_registration,
                                             shoot):
    organiser = make_organiser(event)
    speaker = make_registration(event, CategoryCode.INTERVENANT, first_name="Hélène", last_name="Gauthier")
    first, second = make_registration(event), make_registration(event)
    for registration in (first, second):
        set_password(registration.person, TEST_PASSWORD)
    db.session.commit()

    staff = browser.new_context(locale="fr-FR")
    page = staff.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/program/rooms")
    page.get_by_label("Nom").fill("Salle Bérégovoy")
    page.get_by_label("Capacité (places)").fill("40")
    page.get_by_role("button", name="Enregistrer la salle").click()
    expect(page.get_by_test_id("room-row")).to_have_count(1)

    for title, start, end, seats in (("Atelier cœurs de ville", "10:00", "11:30", "1"),
                                     ("Conférence mobilités", "11:00", "12:00", "")):
        page.goto(f"{live_server}/manage/e/{event.slug}/program/sessions/new")
        page.get_by_label("Type").select_option("atelier" if seats else "conference")
        page.get_by_label("Titre en français").fill(title)
        page.get_by_label("Début").fill(start)
        page.get_by_label("Fin").fill(end)
        page.get_by_label("Salle").select_option(label="Salle Bérégovoy")
        if seats:
            page.get_by_label("Nombre de places").fill(seats)
        page.locator("#speakers-0-find").fill("gauth")
        page.get_by_role("option", name="GAUTHIER Hélène").click()
        expect(page.locator("#speakers-0-registration")).to_have_value(str(speaker.id))
        page.get_by_role("button", name="Enregistrer la séance").click()
    warnings = page.get_by_test_id("conflicts")
    expect(warnings).to_contain_text("Salle Bérégovoy est réservée deux fois")
    expect(warnings).to_contain_text("Hélène Gauthier")
    shoot(page, "program-grid-fr")
    page.get_by_test_id("publish").click()
    expect(page.locator(".flash-success")).to_be_visible()
    staff.close()

    one = browser.new_context(locale="fr-FR")
    page = one.new_page()
    log_in(page, live_server, first.person.email)
    page.goto(f"{live_server}/e/{event.slug}/program")
    page.get_by_role("link", name="Atelier cœurs de ville").click()
    expect(page.get_by_test_id("seats-left")).to_contain_text("1")
    page.get_by_role("button", name="Réserver une place").click()
    expect(page.get_by_test_id("my-status")).to_contain_text("Place réservée")

    two = browser.new_context(locale="fr-FR")
    other = two.new_page()
    log_in(other, live_server, second.person.email)
    other.goto(page.url)
    other.get_by_role("button", name="S'inscrire sur la liste d'attente").click()
    expect(other.get_by_test_id("my-status")).to_contain_text("Liste d'attente")
    shoot(other, "program-waiting-fr")

    page.get_by_role("button", name="Libérer ma place").click()
    other.reload()
    expect(other.get_by_test_id("my-status")).to_contain_text("Place réservée")
    one.close()
    two.close()
    notice = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "seat_promoted"))
    assert notice is not None and notice.recipient == second.person.email
