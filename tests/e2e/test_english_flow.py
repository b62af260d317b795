"""The interface in English on the demo summit, in a browser: a visitor switches to English and reads the
edition's English name and description with dates in words; an official reads her route with the tour slot's
English name and the startups' English pitches; the French pages keep French names and French dates."""
from datetime import datetime

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.badging.models import CheckIn
from app.demonstrator.hall.models import TourSlot
from app.demonstrator.plans import itinerary
from app.demonstrator.plans.models import PlannedVisit
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration
from tests.conftest import TEST_PASSWORD
from tests.e2e.test_visits_flow import log_in


def official_with_english_texts(event: Event) -> tuple[Registration, PlannedVisit, TourSlot]:
    """An official walking alone whose first visit is to a startup that wrote its pitch in English."""
    plan = itinerary.published(event.id)
    visits = db.session.scalars(select(PlannedVisit).where(
        PlannedVisit.plan_id == plan.id, PlannedVisit.registration_id.is_not(None),
        PlannedVisit.delegation_id.is_(None)).order_by(PlannedVisit.starts_at, PlannedVisit.id)).all()
    slots = db.session.scalars(select(TourSlot).where(TourSlot.event_id == event.id)).all()
    for visit in visits:
        official = visit.registration
        first = min((v for v in visits if v.registration_id == official.id), key=lambda v: v.starts_at)
        organisation = first.startup.organisation if first.startup else None
        if official.delegation_id is None and organisation is not None and organisation.pitch_en:
            slot = next(s for s in slots if s.starts_at <= first.starts_at < s.ends_at)
            return official, first, slot
    raise AssertionError("the demo has no lone official visiting a startup with an English pitch")


def test_the_demo_summit_in_english_and_in_french(browser: Browser, live_server, shoot, planned_demo_summit):
    summary = planned_demo_summit
    event = db.session.get(Event, summary.event_id)
    assert event.name_en and event.description_en
    official, visit, slot = official_with_english_texts(event)
    set_password(official.person, TEST_PASSWORD)
    db.session.add(CheckIn(event_id=event.id, registration_id=official.id, at=datetime(2027, 6, 2, 7, 40)))
    db.session.commit()
    pitch_en, pitch_fr = visit.startup.organisation.pitch_en, visit.startup.organisation.pitch

    # A visitor whose browser is French switches the edition's page to English.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/e/{event.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(event.name)
    expect(page.locator("dl.facts")).to_contain_text("mercredi 2 juin 2027 – vendredi 4 juin 2027")
    shoot(page, "english-edition-fr")
    page.get_by_role("link", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mid-sized Cities Innovation Summit — Nevers 2027")
    expect(page.get_by_test_id("event-description")).to_have_text(event.description_en)
    expect(page.locator("dl.facts")).to_contain_text("Wednesday 2 June 2027 – Friday 4 June 2027")
    expect(page.get_by_role("link", name="Programme", exact=True)).to_be_visible()
    assert "Sommet" not in page.locator("main").inner_text()
    shoot(page, "english-edition-en")

    # The official logs in (the switch sticks) and opens her route.
    page.goto(f"{live_server}/lang/fr?next=/login")
    log_in(page, live_server, official.person.email)
    page.goto(f"{live_server}/lang/en?next=/e/{event.slug}/demonstrator/route")
    expect(page.get_by_role("heading", level=1)).to_have_text("My demonstrator route")
    first_tour = page.get_by_test_id("route-tour").first
    expect(first_tour.get_by_test_id("tour-slot")).to_have_text(f"· {slot.label_en}")
    expect(page.get_by_test_id("stop-pitch").first).to_have_text(pitch_en)
    expect(page.locator("h2.route-day").first).to_have_text("Wednesday 2 June")
    expect(page.locator(".meet").first).to_contain_text("Main entrance")
    shoot(page, "english-route-en")

    # The same route in French: French slot name, pitch and dates.
    page.get_by_role("link", name="FR", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_test_id("route-tour").first.get_by_test_id("tour-slot")).to_have_text(f"· {slot.label}")
    expect(page.get_by_test_id("stop-pitch").first).to_have_text(pitch_fr)
    expect(page.locator("h2.route-day").first).to_have_text("mercredi 2 juin")
    shoot(page, "english-route-fr")
    context.close()

    # The organiser's arrivals, on the French page: days in French words, not "Wed 02".
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, live_server, summary.organiser_email)
    page.goto(f"{live_server}/manage/e/{event.slug}/badges/arrivals")
    expect(page.locator("main")).to_contain_text("mer. 2, 09:00")
    shoot(page, "english-arrivals-fr")
    page.goto(f"{live_server}/lang/en?next=/manage/e/{event.slug}/badges/arrivals")
    expect(page.locator("main")).to_contain_text("Wed 2, 09:00")

    # Where the organiser writes both languages: the tour slots and the hall's entrances.
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/slots")
    expect(page.get_by_test_id("slot-row").first).to_contain_text("Parcours du matin · Morning tour")
    expect(page.get_by_label("Label in English")).to_be_visible()
    shoot(page, "english-slots-en")
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/hall")
    expect(page.get_by_test_id("entrance-list")).to_contain_text("Entrée principale · Main entrance")
    page.get_by_test_id("entrance-form").scroll_into_view_if_needed()
    shoot(page, "english-hall-en")
    context.close()
