"""An organiser computes the visit routes, watches the job finish, locks a visit, moves another by hand,
re-optimises and publishes, in a browser; the occupancy chart and the map of the routes are drawn."""
import math
import threading
import time
from datetime import timedelta

import pytest
import routing
from playwright.sync_api import Browser, expect
from playwright.sync_api import Error as PlaywrightError

from app.core.timefmt import to_local
from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.demonstrator.plans import planning, results
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.events.models import CategoryCode
from app.extensions import db
from app.jobs import services as job_services
from app.jobs.runner import execute_job
from tests.conftest import TEST_PASSWORD
from tests.demonstrator.conftest import confirm, utc, world  # noqa: F401  (the small demonstrator)
from tests.e2e.keyboard import axe_violations, tab_until


@pytest.fixture
def worker(app, monkeypatch):
    """Jobs run on a thread, as a worker would: the page sees the plan while it is being computed."""
    threads = []

    def run_later(job_id):
        def run():
            time.sleep(1.5)  # the queue's latency: the page shows the plan waiting, then computing
            with app.app_context():
                execute_job(job_id)
                db.session.remove()
        thread = threading.Thread(target=run, daemon=True)
        threads.append(thread)
        thread.start()
    monkeypatch.setattr(job_services, "run_job_task", run_later)
    yield
    for thread in threads:
        thread.join(60)


@pytest.fixture
def bigger(world, make_registration):  # noqa: F811
    """Four more stands in a second row (one takes two groups at once), twelve more officials, a named entrance."""
    day = world.event.starts_on
    for i, theme in enumerate(["mobilite", "energie", "donnees-numerique", "sante"]):
        startup = confirm(make_registration(world.event, CategoryCode.STARTUP, theme_codes=[theme],
                                            organisation_name=f"Jeune pousse {i + 5}"))
        stand = hall_services.save_stand(world.event, hall_services.StandInput(f"B{i + 1}", x=5 + 8 * i, y=24),
                                         actor_id=None)
        if i == 1:
            stand.capacity = 2
        hall_calendar.book_stand(world.event, stand, startup, utc(day, "08:00"), utc(day, "18:00"), actor_id=None)
    themes = ["mobilite", "energie", "donnees-numerique", "sante"]
    for i in range(12):
        confirm(make_registration(world.event, CategoryCode.ELU, theme_codes=[themes[i % 4], themes[(i + 1) % 4]],
                                  first_name=["Inès", "Paul", "Nora", "Hugo"][i % 4], last_name=f"Élue{i + 1}", days=[day]))
    hall_services.save_entrance(world.event, "Hall A", 0, 18, actor_id=None)
    db.session.commit()
    return world


def log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def current_plan(event) -> VisitPlan:
    db.session.expire_all()
    return planning.plans(event)[0]


def free_move(plan):
    """A visit and a whole minute (the form takes HH:MM) where it can go without breaking a rule."""
    problem = routing.parse_problem(plan.problem)
    for visit in sorted((v for v in plan.visits if not v.locked), key=lambda v: -v.start):
        for shift in (5, -5, 10, -10, 15, -15, 20, -20):
            start = math.ceil(visit.start) + shift
            others = [v for v in plan.visits if v.id != visit.id]
            moved = PlannedVisit(visitor_key=visit.visitor_key, tour=visit.tour, stand_key=visit.stand_key, start=start)
            solution = routing.parse_solution(results.solution_document(plan, others + [moved]), problem)
            if not [x for x in routing.violations(problem, solution) if x.kind != "objective"]:
                return visit, start
    raise AssertionError("no visit can move")


def test_organiser_computes_edits_reoptimises_and_publishes(browser: Browser, live_server, bigger, make_organiser,
                                                           worker, shoot):
    event = bigger.event
    organiser = make_organiser(event)
    base = f"{live_server}/manage/e/{event.slug}/demonstrator/plans"
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, organiser.email)

    # Compute: the plan page follows the job live, then shows the draft.
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Plans de visites du démonstrateur")).to_be_visible()
    page.get_by_label("Durée maximale (secondes)").fill("6")
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("plan-progress")).to_be_visible()
    expect(page.get_by_test_id("plan-status")).to_have_text("En calcul")
    expect(page.get_by_test_id("cancel")).to_be_visible()
    # The figures update while the optimiser works (unless it proves its plan best before the next poll).
    # Read in one step: the progress box may go between two reads (the job ended and the page reloaded), and a
    # locator would then wait for it.
    best = "() => { const b = document.querySelector('[data-testid=plan-progress] [data-testid=progress-best]'); " \
           "return b ? b.textContent.trim() : null; }"
    for _ in range(40):
        try:
            if page.evaluate(best) not in ("–", ""):
                break
        except PlaywrightError:  # the page reloads itself when the job ends
            break
        page.wait_for_timeout(200)
    if page.get_by_test_id("plan-progress").count():
        shoot(page, "plans-computing-fr")
    expect(page.get_by_test_id("plan-status")).to_have_text("Brouillon", timeout=30_000)
    plan = current_plan(event)
    assert plan.status == PlanStatus.DRAFT and results.check_plan(plan) == []
    f = plan.figures
    expect(page.get_by_test_id("fig-meetings")).to_have_text(str(f["num_meetings"]))
    expect(page.get_by_test_id("fig-visitors")).to_have_text(f"{f['num_visitors']}/{f['num_visitors_in_problem']}")
    expect(page.get_by_test_id("visit-row")).to_have_count(f["num_visits"])
    shoot(page, "plans-draft-fr")

    # Lock one visit.
    locked = plan.visits[0]
    row = page.locator(f'[data-visit-id="{locked.id}"]')
    row.get_by_test_id("lock").click()
    expect(page.locator(".flash-success")).to_contain_text("La visite est verrouillée")
    expect(page.locator(f'[data-visit-id="{locked.id}"]').get_by_test_id("locked")).to_be_visible()

    # A move that breaks a rule is refused, with the reason, next to the visit.
    plan = current_plan(event)
    visit, start = free_move(plan)
    row = page.locator(f'[data-visit-id="{visit.id}"]')
    row.get_by_test_id("move-open").click()
    row.get_by_label("Nouvelle heure").fill("07:00")
    row.get_by_test_id("move").click()
    expect(page.get_by_test_id("visit-error")).to_contain_text("en dehors des parcours du visiteur")
    shoot(page, "plans-move-refused-fr")

    # The same visit, moved by hand to a time that works.
    new_time = f"{to_local(plan.reference + timedelta(minutes=start), event.timezone):%H:%M}"
    row = page.locator(f'[data-visit-id="{visit.id}"]')
    if not row.get_by_test_id("move-form").count():  # still open after the refusal (answered in place)
        row.get_by_test_id("move-open").click()
    row.get_by_label("Nouvelle heure").fill(new_time)
    row.get_by_test_id("move").click()
    expect(page.locator(".flash-success")).to_contain_text("La visite est déplacée")
    expect(page.get_by_test_id("plan-edited")).to_be_visible()
    expect(page.locator(f'[data-visit-id="{visit.id}"] .plan-time')).to_contain_text(new_time)
    plan = current_plan(event)
    assert results.check_plan(plan) == []

    # The charts.
    page.get_by_role("link", name="Occupation des stands").click()
    expect(page.get_by_test_id("gantt-bar")).to_have_count(len(plan.visits))
    shoot(page, "plans-occupancy-fr")
    page.get_by_role("link", name="Carte des parcours").click()
    tours = {(v.visitor_key, v.tour) for v in plan.visits}
    # One visitor's routes at first (the first by name), then everyone's when chosen.
    first = page.locator("#visitor").input_value()
    expect(page.get_by_test_id("route-path")).to_have_count(len({t for t in tours if t[0] == first}))
    # The map is named after whose routes it draws and when; the tours are listed in words after it.
    first_name = page.locator("#visitor option:checked").inner_text()
    expect(page.get_by_test_id("route-map")).to_have_accessible_name(
        f"Plan du hall avec les parcours de {first_name} : Tous les jours et parcours")
    expect(page.get_by_test_id("route-list").locator("li")).to_have_count(
        len({t for t in tours if t[0] == first}))
    page.locator("#visitor").select_option("")
    page.get_by_role("button", name="Afficher").click()  # a filter applies with its button, never on its own
    page.wait_for_url("**visitor=*")
    expect(page.get_by_test_id("route-path")).to_have_count(len(tours))
    expect(page.get_by_test_id("route-map")).to_have_accessible_name(
        "Plan du hall avec les parcours de tous les visiteurs : Tous les jours et parcours")
    expect(page.get_by_test_id("route-list").locator("li")).to_have_count(len(tours))
    assert axe_violations(page, "[data-testid=route-map-scroll]", "[data-testid=route-list]") == []
    shoot(page, "plans-map-fr")
    # On a phone the stands' numbers stay legible: the map scrolls sideways in its box, which Tab reaches.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    heights = page.get_by_test_id("route-map").locator("text").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().height)")
    assert heights and min(heights) >= 9, heights
    page.locator("h1").click()
    tab_until(page, "[data-testid=route-map-scroll]")
    shoot(page, "plans-map-phone-fr")
    page.set_viewport_size({"width": 1280, "height": 900})
    morning_option = page.locator("#show option", has_text="Matin")
    morning, morning_label = morning_option.get_attribute("value"), morning_option.inner_text()
    page.locator("#show").select_option(morning)
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(f"**show={morning.replace(':', '%3A')}*")
    expected = {(v.visitor_key, v.tour) for v in plan.visits if to_local(v.starts_at, event.timezone).hour < 13}
    expect(page.get_by_test_id("route-path")).to_have_count(len(expected))
    expect(page.get_by_test_id("route-map")).to_have_accessible_name(
        f"Plan du hall avec les parcours de tous les visiteurs : {morning_label}")
    page.get_by_role("link", name="Visites et chiffres").click()

    # Re-optimise: a new draft that keeps the lock.
    page.locator("#replan-limit").fill("3")
    page.get_by_test_id("replan").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Brouillon", timeout=30_000)
    expect(page.get_by_role("heading", name="Plan de visites, version 2")).to_be_visible()
    replan = current_plan(event)
    assert replan.version == 2 and replan.origin == "replan"
    kept = [v for v in replan.visits if (v.visitor_key, v.stand_key, v.start) == (locked.visitor_key, locked.stand_key, locked.start)]
    assert kept and kept[0].locked
    expect(page.locator(f'[data-visit-id="{kept[0].id}"]').get_by_test_id("locked")).to_be_visible()

    # Publish: everyone concerned is told.
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("changes-people")).to_contain_text("seront prévenues par e-mail")
    page.get_by_test_id("publish-confirm").click()
    expect(page.locator(".flash-success")).to_contain_text("personnes seront prévenues")
    expect(page.get_by_test_id("plan-status")).to_have_text("Publié")
    expect(page.get_by_test_id("rest-of-day")).to_be_visible()
    shoot(page, "plans-published-fr")
    page.goto(f"{base}/")
    expect(page.get_by_test_id("plan-row")).to_have_count(2)
    shoot(page, "plans-index-fr")
    assert current_plan(event).status == PlanStatus.PUBLISHED
    context.close()
