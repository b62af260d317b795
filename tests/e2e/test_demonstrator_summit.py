"""Issue 6's whole path on the demo summit, in a browser: an organiser places a stand, computes the routes,
watches the job finish, locks a visit, moves another by hand, re-optimises and publishes; an official then
sees the route and downloads the iCal with its slots; a startup sees its briefing."""
from datetime import timedelta

from icalendar import Calendar
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.core.timefmt import to_local
from app.demonstrator.plans import planning, results
from app.demonstrator.hall.models import Stand
from app.demonstrator.plans.models import PlanStatus
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration
from tests.conftest import TEST_PASSWORD
from tests.e2e.test_hall_flow import place_stand
from tests.e2e.test_plans_flow import current_plan, free_move, log_in, worker  # noqa: F401  (worker: a fixture)


def test_demo_summit_planned_edited_published_and_seen_by_an_official_and_a_startup(
        browser: Browser, live_server, worker, shoot, tmp_path, demo_summit):  # noqa: F811
    summary = demo_summit
    event = db.session.get(Event, summary.event_id)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, summary.organiser_email)

    # A stand for a late exhibitor, in the free strip at the back of the hall.
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/hall")
    place_stand(page, "G01", 5, 38)
    expect(page.locator(".flash-success")).to_contain_text("Le stand G01 est placé.")
    assert db.session.scalar(select(Stand).where(Stand.event_id == event.id, Stand.number == "G01")) is not None
    shoot(page, "summit-hall-fr")

    # Compute the routes of the whole summit, watched live.
    page.get_by_test_id("demonstrator-nav").get_by_role("link", name="Plans de visites").click()
    page.get_by_label("Durée maximale (secondes)").fill("8")
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("plan-progress")).to_be_visible()
    expect(page.get_by_test_id("plan-status")).to_have_text("Brouillon", timeout=90_000)
    plan = current_plan(event)
    assert plan.status == PlanStatus.DRAFT and results.check_plan(plan) == []
    assert plan.figures["num_visitors_in_problem"] > 150  # the demo's delegations and lone officials
    # Grouped by thousands, as every number of the pages: "3 160".
    expect(page.get_by_test_id("fig-meetings")).to_have_text(f"{plan.figures['num_meetings']:,}".replace(",", "\u202f"))
    shoot(page, "summit-plan-fr")

    # Lock the first visit shown; move another by hand to a time that keeps every rule.
    first = page.locator('[data-testid="visit-row"]:has([data-testid="lock"])').first
    locked_id = int(first.get_attribute("data-visit-id"))
    first.get_by_test_id("lock").click()
    expect(page.locator(".flash-success")).to_contain_text("La visite est verrouillée")
    plan = current_plan(event)
    locked = next(v for v in plan.visits if v.id == locked_id)
    visit, start = free_move(plan)
    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/plans/{plan.id}?visitor={visit.visitor_key}")
    row = page.locator(f'[data-visit-id="{visit.id}"]')
    row.get_by_test_id("move-open").click()
    row.get_by_label("Nouvelle heure").fill(f"{to_local(plan.reference + timedelta(minutes=start), event.timezone):%H:%M}")
    row.get_by_test_id("move").click()
    expect(page.locator(".flash-success")).to_contain_text("La visite est déplacée")
    assert results.check_plan(current_plan(event)) == []

    # Re-optimise around the lock, then publish.
    page.locator("#replan-limit").fill("8")
    page.get_by_test_id("replan").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Brouillon", timeout=90_000)
    replan = current_plan(event)
    assert replan.origin == "replan" and results.check_plan(replan) == []
    assert any((v.visitor_key, v.stand_key, v.start, v.locked) == (locked.visitor_key, locked.stand_key, locked.start, True)
               for v in replan.visits)
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Publié")
    context.close()

    # An official with visits in the published plan: the route, and the iCal with its slots.
    db.session.expire_all()
    published = planning.published_plan(event)
    visit = next(v for v in published.visits if v.registration_id is not None)
    official = db.session.get(Registration, visit.registration_id)
    startup = db.session.get(Registration, visit.startup_id)
    for person in (official.person, startup.person):
        set_password(person, TEST_PASSWORD)
    db.session.commit()
    mine = [v for v in published.visits if v.registration_id == official.id]
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = phone.new_page()
    log_in(page, live_server, official.person.email)
    page.goto(f"{live_server}/e/{event.slug}/demonstrator/route")
    expect(page.get_by_test_id("route-visit")).to_have_count(len(mine))
    shoot(page, "summit-route-phone-fr")
    with page.expect_download() as download:
        page.get_by_test_id("route-ics").click()
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    slots = [e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT") if str(e["UID"]).startswith("visit-")]
    assert len(slots) == len(mine)
    phone.close()

    # The startup of that visit: its briefing lists who comes.
    desk = browser.new_context(locale="fr-FR")
    page = desk.new_page()
    log_in(page, live_server, startup.person.email)
    page.goto(f"{live_server}/e/{event.slug}/demonstrator/briefing")
    received = [v for v in published.visits if v.startup_id == startup.id]
    expect(page.get_by_test_id("briefing-visit")).to_have_count(len(received))
    shoot(page, "summit-briefing-fr")
    desk.close()
