"""The organiser's program grid and the session form's speaker search, at a desk (1440x900), in a browser."""
from datetime import time, timedelta

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.events.models import CategoryCode
from app.extensions import db
from app.program import services
from app.program.models import ProgramSession, SessionKind
from tests.e2e.keyboard import axe_violations, tab_until
from tests.e2e.test_program_flow import log_in

DESK = {"width": 1440, "height": 900}


def make_room(event, name):
    return services.save_room(event, services.RoomInput(name=name, capacity=100), actor_id=None)


def make_session(event, title, room, start, end, day=None):
    return services.save_session(event, services.SessionInput(
        kind=SessionKind.ATELIER, title_fr=title, title_en="", day=day or event.starts_on, start=start, end=end,
        room_id=room.id), actor_id=None)


def boxes_overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_grid_keeps_rooms_in_sight_and_overlapping_sessions_side_by_side(browser: Browser, live_server, event,
                                                                         make_organiser, shoot):
    organiser = make_organiser(event)
    rooms = [make_room(event, f"Salle {n}") for n in ("Loire", "Nièvre", "Vauban", "Colbert", "Bérégovoy", "Mitterrand",
                                               "des Ducs", "Jaurès", "Allier", "Morvan", "Bazois", "Sauvigny")]
    make_session(event, "Atelier A", rooms[0], time(10, 0), time(11, 0))
    make_session(event, "Atelier B", rooms[0], time(10, 30), time(11, 30))
    make_session(event, "Atelier C", rooms[2], time(10, 0), time(10, 45))
    make_session(event, "Accueil", rooms[3], time(8, 30), time(9, 0))
    make_session(event, "Dernière salle", rooms[-1], time(17, 0), time(18, 0))
    make_session(event, "Séance du jeudi", rooms[1], time(9, 0), time(10, 0), day=event.starts_on + timedelta(days=1))
    db.session.commit()

    context = browser.new_context(locale="fr-FR", viewport=DESK)
    page = context.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/program/")
    grid = page.get_by_test_id("program-scroll")
    blocks = page.get_by_test_id("grid-session")
    first, second = blocks.filter(has_text="Atelier A"), blocks.filter(has_text="Atelier B")
    expect(first).to_be_visible()
    expect(second).to_be_visible()
    assert not boxes_overlap(first.bounding_box(), second.bounding_box())  # side by side, both readable
    shoot(page, "program-grid-desk-fr")

    # Scrolled down to the evening and right to the last room: the room names stay on top, every room is reachable.
    last = blocks.filter(has_text="Dernière salle")
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    frame, head = grid.bounding_box(), page.get_by_test_id("room-head").last.bounding_box()
    assert abs(head["y"] - frame["y"]) < 3 and head["x"] < frame["x"] + frame["width"]
    expect(page.get_by_test_id("room-head").last).to_have_text("Salle Sauvigny")
    expect(page.get_by_test_id("room-head").last).to_be_in_viewport()
    shoot(page, "program-grid-scrolled-fr")

    # The keyboard: Tab goes into the grid's box, then from session to session in time order (room by
    # room at the same time), each named with its hours and its room; the focused one is framed.
    page.locator("h1").click()
    tab_until(page, "[data-testid=program-scroll]")
    names = []
    for _n in range(5):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        expect(focused).to_have_attribute("data-testid", "grid-session")
        assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
        names.append(focused.evaluate("e => e.textContent.replace(/\\s+/g, ' ').trim()"))
        expect(focused).to_be_in_viewport()
    assert names == ["08:30–09:00 · Salle Colbert · Accueil", "10:00–11:00 · Salle Loire · ⚠ Atelier A",
                     "10:00–10:45 · Salle Vauban · Atelier C", "10:30–11:30 · Salle Loire · ⚠ Atelier B",
                     "17:00–18:00 · Salle Sauvigny · Dernière salle"]
    expect(page.locator(":focus")).to_have_accessible_name("17:00–18:00 · Salle Sauvigny · Dernière salle")
    for _n in range(3):  # back to Atelier A with Shift+Tab: the box scrolls back to it
        page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_contain_text("Atelier A")
    expect(page.locator(":focus")).to_be_in_viewport()
    shoot(page, "program-grid-keyboard-fr")
    assert axe_violations(page, "[data-testid=program-scroll]") == []

    # Publishing from Thursday comes back to Thursday.
    page.get_by_role("link", name="jeudi 3 juin").click()
    expect(blocks.filter(has_text="Séance du jeudi")).to_be_visible()
    page.get_by_test_id("publish").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(blocks.filter(has_text="Séance du jeudi")).to_be_visible()
    expect(page.locator(".day-tabs [aria-current=page]")).to_have_text("jeudi 3 juin")
    context.close()


def test_session_form_finds_a_speaker_among_many_registrations(browser: Browser, live_server, event,
                                                              make_organiser, make_registration, shoot):
    organiser = make_organiser(event)
    for n in range(40):
        make_registration(event, first_name=f"Camille{n}", last_name="Lefèvre")
    speaker = make_registration(event, CategoryCode.INTERVENANT, first_name="Hélène", last_name="Gauthier",
                                organisation_name="Ville de Nevers")
    db.session.commit()

    context = browser.new_context(locale="fr-FR", viewport=DESK)
    page = context.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/program/sessions/new")
    # The lists hold nobody until a search: not every registration in the page.
    expect(page.locator("#speakers-0-registration option")).to_have_count(1)
    page.get_by_label("Titre en français").fill("Plénière d'ouverture")
    page.get_by_label("Début").fill("09:00")
    page.get_by_label("Fin").fill("10:00")

    # Keyboard only: type, arrow down to the match, Enter.
    search = page.locator("#speakers-0-find")
    search.fill("camille")
    options = page.get_by_test_id("speaker-options").first
    expect(options.get_by_role("option")).to_have_count(20)
    expect(page.locator("[data-speaker-status]").first).to_contain_text("20 premiers résultats")
    search.fill("gauthier")
    expect(options.get_by_role("option")).to_have_count(1)
    expect(search).to_have_attribute("aria-expanded", "true")
    shoot(page, "program-speaker-search-fr")
    search.press("ArrowDown")
    expect(options.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(page.locator("#speakers-0-registration")).to_have_value(str(speaker.id))
    expect(page.locator("#speakers-0-registration option:checked")).to_have_text("GAUTHIER Hélène (Ville de Nevers)")
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.locator(".flash-success")).to_be_visible()
    session = db.session.scalar(select(ProgramSession).where(ProgramSession.title_fr == "Plénière d'ouverture"))
    assert [s.registration_id for s in session.speakers] == [speaker.id]

    # Without script, the Search button sends the form back with the matches in the list.
    plain = browser.new_context(locale="fr-FR", viewport=DESK, java_script_enabled=False)
    page = plain.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server}/manage/e/{event.slug}/program/sessions/new")
    page.locator("#speakers-1-find").fill("gauthier")
    page.locator("[data-speaker-find-button]").nth(1).click()
    expect(page.locator("#speakers-1-registration option")).to_have_count(2)
    expect(page.locator("[data-speaker-status]").nth(1)).to_contain_text("1 résultat, choisi dans la liste")
    expect(page.locator("#speakers-1-registration")).to_have_value(str(speaker.id))
    shoot(page, "program-speaker-search-noscript-fr")
    plain.close()
    context.close()
