"""An organiser at her desk (1440x900) re-computes a published plan, which keeps what was published by default,
reads before the click how many routes change and how many people are told, and publishes: the page comes
back at once and the notices are sent by a background job."""
import re

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.plans import editing, notify, planning
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.demonstrator.wishes import services as preferences
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.mail.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from tests.demonstrator.conftest import utc, world  # noqa: F401  (the small demonstrator)
from tests.e2e.test_plans_flow import log_in, worker  # noqa: F401  (jobs on a thread, as a worker runs them)


def newest_plan(event) -> VisitPlan:
    db.session.expire_all()
    return db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id)
                             .order_by(VisitPlan.version.desc()))


def test_republishing_says_what_changes_before_the_click_and_tells_people_in_the_background(
        browser: Browser, live_server, world, make_organiser, worker, shoot):  # noqa: F811
    event = world.event
    first = planning.request_plan(event, planning.PlanRequest(time_limit=2), actor_id=None, background=False)
    editing.publish(first, actor_id=None, notify_people=False)
    # Then an official is kept in a plenary all morning: the routes that change are hers, and few others.
    day = event.starts_on
    busy = next(r for r in world.officials if r.delegation_id is None
                and any(v.registration_id == r.id and v.starts_at < utc(day, "12:00") for v in first.visits))
    preferences.change_availability(event, starts_at=utc(day, "10:00"), ends_at=utc(day, "12:00"), available=False,
                                    registration=busy, reason="Plénière", actor_id=None)
    db.session.commit()
    organiser = make_organiser(event)
    base = f"{live_server}/manage/e/{event.slug}/demonstrator/plans"
    context = browser.new_context(locale="fr-FR", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, live_server, organiser.email)

    # Computing again starts from the published version unless she asks to start afresh.
    page.goto(f"{base}/")
    expect(page.get_by_test_id("compute-keeps-published")).to_contain_text(
        f"La version {first.version} est publiée : le nouveau calcul part d'elle")
    expect(page.get_by_test_id("compute-afresh")).not_to_be_checked()
    page.get_by_label("Durée maximale (secondes)").fill("3")
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Brouillon", timeout=60_000)
    second = newest_plan(event)
    assert second.origin == "replan" and second.based_on_id == first.id

    # Before the click: the confirmation says how many routes change and how many people get an e-mail.
    page.get_by_test_id("publish").click()
    expect(page).to_have_url(re.compile(rf"/plans/{second.id}/publish$"))
    preview = notify.preview(second)
    expect(page.get_by_role("heading", name=f"Publier la version {second.version} du plan de visites ?")).to_be_visible()
    expect(page.get_by_test_id("publish-preview")).to_contain_text(
        f"La version {first.version} est celle publiée : publier la version {second.version} la remplace.")
    assert 1 <= preview.num_routes < len(world.officials) and preview.num_people >= 1
    expect(page.get_by_test_id("changes-people")).to_contain_text(
        f"{preview.num_people} personne{'s seront prévenues' if preview.num_people > 1 else ' sera prévenue'} par e-mail")
    expect(page.get_by_test_id("changes-routes")).to_contain_text(f"{preview.num_routes} élu")
    assert preview.num_routes_moved >= 1  # hers: her morning visits move
    expect(page.get_by_test_id("changes-moved")).to_contain_text(f"dont {preview.num_routes_moved} avec")
    shoot(page, "plans-publish-confirm-fr")

    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Publié")
    expect(page.locator(".flash-success")).to_contain_text("les e-mails partent en arrière-plan")
    shoot(page, "plans-publish-done-fr")
    assert newest_plan(event).status == PlanStatus.PUBLISHED

    # The job, on the worker's thread, tells exactly the people announced.
    for _ in range(100):
        db.session.expire_all()
        job = db.session.scalar(select(Job).where(Job.kind == notify.JOB_KIND))
        if job is not None and job.is_finished:
            break
        page.wait_for_timeout(200)
    assert job.status == JobStatus.DONE
    sent = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "visits_changed")).all()
    assert len(sent) == len(set(sent)) == preview.num_people
    assert busy.person.email in sent
    context.close()


def test_an_official_reads_which_tour_slots_were_left_free_on_her_phone(browser: Browser, live_server, world,  # noqa: F811
                                                                         shoot):
    event = world.event
    get_hall(event).min_route_visits = 4  # the small world's tours hold 1 to 4 stands
    db.session.commit()
    plan = planning.request_plan(event, planning.PlanRequest(time_limit=2), actor_id=None, background=False)
    editing.publish(plan, actor_id=None, notify_people=False)
    key = plan.figures["short_tours"][0][0]
    official = next(r for r in world.officials if key in (f"r{r.id}", f"d{r.delegation_id}"))
    set_password(official.person, TEST_PASSWORD)
    db.session.commit()
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server, official.person.email)
    page.goto(f"{live_server}/e/{event.slug}/demonstrator/route")
    free = page.get_by_test_id("route-free")
    expect(free.get_by_role("heading", name="Parcours libres")).to_be_visible()
    expect(free).to_contain_text("aucune visite n'est prévue, vous êtes libre")
    expect(free.get_by_test_id("route-free-slot").first).to_contain_text(re.compile(r"\d\d:\d\d–\d\d:\d\d"))
    shoot(page, "route-free-slots-phone-fr")
    context.close()
