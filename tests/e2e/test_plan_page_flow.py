"""The organiser's plan page on the demo summit, at her desk (1440x900): the day on every visit group, the
plan's quality in plain words, a lock and a move made in place without reloading the plan; then the day's route
sheets printed by a background job and downloaded."""
import io
import re
from datetime import timedelta

from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from app.core.timefmt import to_local
from app.demonstrator.plans import editing, notify, planning, results
from app.demonstrator.plans.models import PlannedVisit, VisitPlan
from app.demonstrator.plans.required import required_pairs
from app.events.models import Event
from app.extensions import db
from tests.e2e.conftest import ARTIFACTS, save_screenshot
from tests.e2e.test_plans_flow import free_move, log_in


def lockable_rows(page):
    """The visit rows that can be locked: the demo's plan already has locked visits (its meetings at the stands,
    the organiser's earlier edits), and which one comes first depends on the plan its time-limited search found."""
    return page.locator('[data-testid="visit-row"]:has([data-testid="lock"])')


def test_organiser_reads_the_plan_and_locks_and_moves_visits_in_place(browser: Browser, live_server, shoot,
                                                                     planned_demo_summit):
    summary = planned_demo_summit
    event = db.session.get(Event, summary.event_id)
    plan = planning.published_plan(event)
    assert plan is not None and len(plan.visits) > 500
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, summary.organiser_email)
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/plans/{plan.id}")

    # The quality in an organiser's words; the optimiser's own figures only for those who open them.
    quality = page.get_by_test_id("plan-quality")
    expect(quality).to_have_text(re.compile(r"Ce plan atteint au moins \d+ % de la valeur du meilleur plan possible\."
                                            r"|C'est le meilleur plan possible"))
    expect(page.get_by_test_id("fig-gap")).to_be_hidden()
    page.get_by_text("Les chiffres de l'optimiseur").click()
    expect(page.get_by_test_id("fig-gap")).to_contain_text("borne")
    meetings = page.get_by_test_id("fig-meetings").inner_text()
    assert re.fullmatch(r"\d{1,3}(\u202f\d{3})*", meetings), meetings  # 6 642, not 6642
    save_screenshot(page, ARTIFACTS / "plan-page-top-fr.png", full_page=False)

    # Every visit group says its day (the demo's three days have the same hours).
    windows = page.get_by_test_id("tour-window").all_inner_texts()
    day_and_hours = re.compile(r"Parcours \d · (mer|jeu|ven)\. \d{1,2} juin · \d\d:\d\d–\d\d:\d\d")
    assert windows and all(day_and_hours.fullmatch(w.strip()) for w in windows), windows[:5]

    # A lock: answered in place, the page is not loaded again.
    page.evaluate("window.notReloaded = true")
    row = lockable_rows(page).first
    visit_id = int(row.get_attribute("data-visit-id"))
    row.get_by_test_id("lock").click()
    row = page.locator(f'[data-visit-id="{visit_id}"]')
    expect(row.get_by_test_id("locked")).to_be_visible()
    expect(row.get_by_test_id("unlock")).to_be_focused()
    expect(page.locator("[data-plan-status]")).to_contain_text("La visite est verrouillée")
    assert page.evaluate("window.notReloaded") is True
    db.session.expire_all()
    assert db.session.get(PlannedVisit, visit_id).locked
    row.scroll_into_view_if_needed()
    save_screenshot(page, ARTIFACTS / "plan-page-locked-fr.png", full_page=False)

    # A move: the form opens in the row, the answer replaces the visitor's block.
    plan = planning.published_plan(event)
    visit, start = free_move(plan)
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/plans/{plan.id}?visitor={visit.visitor_key}")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f'[data-visit-id="{visit.id}"]')
    row.get_by_test_id("move-open").click()
    new_time = f"{to_local(plan.reference + timedelta(minutes=start), event.timezone):%H:%M}"
    row.get_by_label("Nouvelle heure").fill(new_time)
    shoot(page, "plan-page-move-open-fr")
    row.get_by_test_id("move").click()
    expect(page.locator("[data-plan-status]")).to_contain_text("La visite est déplacée")
    expect(page.locator(f'[data-visit-id="{visit.id}"] .plan-time')).to_contain_text(f"{new_time}–")
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_test_id("plan-figures")).to_contain_text("Modifié à la main")
    expect(page.get_by_test_id("plan-edited")).to_be_visible()
    db.session.expire_all()
    plan = planning.published_plan(event)
    assert results.check_plan(plan) == []
    shoot(page, "plan-page-moved-fr")

    # A refused move says why next to the visit, still without a reload.
    row = page.locator(f'[data-visit-id="{visit.id}"]')
    row.get_by_test_id("move-open").click()
    row.get_by_label("Nouvelle heure").fill("07:00")
    row.get_by_test_id("move").click()
    expect(page.get_by_test_id("visit-error")).to_contain_text("en dehors des parcours")
    assert page.evaluate("window.notReloaded") is True

    # The day's route sheets: a background job, followed on its page, then the PDF, one page per tour.
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/sheets")
    day = page.get_by_test_id("sheet-day").first
    tours = day.get_by_test_id("sheet-tour")
    num_tours = tours.count()
    first_name = tours.first.locator("strong").inner_text().strip()
    # In the tests the job runs inside the request: 400 sheets can take half a minute on a busy machine.
    day.get_by_test_id("sheet-day-print").click(timeout=120_000)
    expect(page.get_by_test_id("job-status")).to_have_text("Terminée")
    expect(page.get_by_test_id("job-subject")).to_contain_text("Fiches de parcours du")
    expect(page.get_by_test_id("job-result")).to_contain_text(f"{num_tours}")
    shoot(page, "sheets-day-job-fr")
    href = page.get_by_test_id("job-download").get_attribute("href")
    response = page.request.get(f"{live_server}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    # One sheet per tour, each in the PDF's outline (a guide jumps to hers); a tour with many stops goes on
    # over pages marked "(suite)".
    starts = [pdf.get_destination_page_number(entry) for entry in pdf.outline]
    assert len(starts) == num_tours > 50 and starts == sorted(set(starts)) and starts[0] == 0
    assert pdf.outline[0].title == first_name
    continued = [n for n in range(len(pdf.pages)) if n not in set(starts)]
    assert all("(suite)" in pdf.pages[n].extract_text() for n in continued)
    first_page = pdf.pages[0].extract_text()
    assert first_name in first_page and "Aide-mémoire du guide" in first_page, first_page[:300]
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/sheets")
    expect(page.get_by_test_id("sheet-day-download").first).to_have_attribute("href", href)
    context.close()


def test_without_the_script_a_lock_posts_the_form_and_comes_back(browser: Browser, live_server, planned_demo_summit):
    summary = planned_demo_summit
    event = db.session.get(Event, summary.event_id)
    plan = planning.published_plan(event)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, summary.organiser_email)
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/plans/{plan.id}")
    row = lockable_rows(page).first
    visit_id = int(row.get_attribute("data-visit-id"))
    row.get_by_test_id("lock").click()
    expect(page.locator(".flash-success")).to_contain_text("La visite est verrouillée")
    expect(page.locator(f'[data-visit-id="{visit_id}"]').get_by_test_id("locked")).to_be_visible()
    # "Move" opens the form of that visit on the page.
    row = page.locator('[data-testid="visit-row"]:has([data-testid="move-open"])').nth(1)
    row.get_by_test_id("move-open").click()
    expect(page.get_by_test_id("move-form")).to_have_count(1)
    context.close()


def test_a_drafts_page_says_what_publishing_it_would_change(browser: Browser, live_server, shoot,
                                                            planned_demo_summit):
    summary = planned_demo_summit
    event = db.session.get(Event, summary.event_id)
    published = planning.published_plan(event)
    # A re-computation around the published plan (the default), then a visit the organiser takes out of it.
    draft = planning.request_plan(event, planning.new_plan_request(event, 2), actor_id=None, background=False)
    assert draft.origin == "replan"
    required = required_pairs(draft.problem)  # a meeting at a stand: a visit that may not be removed
    editing.remove_visit(draft, next(v for v in draft.visits if not v.locked
                                     and (v.visitor_key, v.stand_key) not in required).id, actor_id=None)
    found = notify.preview(db.session.get(VisitPlan, draft.id))
    assert found.num_routes_moved >= 1 and found.num_people >= 2
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, live_server, summary.organiser_email)
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/plans/{draft.id}")

    changes = page.get_by_test_id("plan-changes")
    expect(changes).to_contain_text(f"Publier cette version à la place de la version {published.version} :")
    expect(changes.get_by_test_id("changes-routes")).to_contain_text(f"{found.num_routes} ")
    expect(changes.get_by_test_id("changes-people")).to_have_text(
        f"{found.num_people} personnes seront prévenues par e-mail")
    shoot(page, "plan-draft-changes-fr")
    # The confirmation says the same before the click.
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("publish-preview").get_by_test_id("changes-people")).to_have_text(
        f"{found.num_people} personnes seront prévenues par e-mail")
    context.close()
