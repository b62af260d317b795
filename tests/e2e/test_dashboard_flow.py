"""The organiser's dashboard on the demo summit, in Chromium: before the summit (a published plan, nothing at the
door yet: the sections say so), then against the demo's previous edition (Blois 2026, the same team), with arrivals at the door and scans at
the stands. Every page is checked by axe (the conftest's fixture); screenshots go to test-artifacts/."""
import random
import re
from datetime import time, timedelta

from playwright.sync_api import Browser, expect
from sqlalchemy import insert, select

from app.badging.models import CheckIn
from app.core.timefmt import local_to_utc
from app.demonstrator.plans import planning
from app.demonstrator.plans.models import PlannedVisit
from app.events.models import Event
from app.extensions import db
from app.leads.models import Lead, Scan
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from tests.e2e.test_visits_flow import log_in

DESK = {"width": 1440, "height": 900}


def _arrivals_and_scans(event: Event, rng: random.Random) -> None:
    """Two registrations in three arrive, mostly on the first morning; two planned visits in three are scanned."""
    registrations = list(db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)))
    rows = []
    for registration in rng.sample(registrations, len(registrations) * 2 // 3):
        day = rng.choices(event.days, weights=[6, 3, 1])[0]
        minutes = int(abs(rng.gauss(60, 90)))
        rows.append(dict(event_id=event.id, registration_id=registration,
                         at=local_to_utc(day, time(8, 0), event.timezone) + timedelta(minutes=minutes)))
    db.session.execute(insert(CheckIn), rows)
    plan = planning.published_plan(event)
    members: dict[int, list[int]] = {}
    for registration, delegation in db.session.execute(select(Registration.id, Registration.delegation_id).where(
            Registration.event_id == event.id, Registration.delegation_id.is_not(None))):
        members.setdefault(delegation, []).append(registration)
    leads, scans = {}, []
    for visit in db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id)):
        person = visit.registration_id or rng.choice(members.get(visit.delegation_id, [None]))
        if person is None or visit.startup_id is None or rng.random() > 0.68:
            continue
        at = visit.starts_at + timedelta(minutes=rng.randint(-4, 9))
        leads.setdefault((visit.startup_id, person), at)
        scans.append((visit.startup_id, person, at))
    lead_ids = dict(zip(leads, db.session.scalars(insert(Lead).returning(Lead.id, sort_by_parameter_order=True), [
        dict(event_id=event.id, stand_id=stand, registration_id=person, notes="", tags=[], first_scanned_at=at,
             last_scanned_at=at, num_scans=1) for (stand, person), at in leads.items()])))
    db.session.execute(insert(Scan), [
        dict(event_id=event.id, lead_id=lead_ids[(stand, person)], stand_id=stand, registration_id=person,
             client_id=f"demo-{i}", scanned_at=at, notes="", tags=[]) for i, (stand, person, at) in enumerate(scans)])
    db.session.commit()


def test_the_dashboard_of_the_demo_summit(browser: Browser, live_server, planned_demo_summit, shoot):
    summary = planned_demo_summit
    event = db.session.get(Event, summary.event_id)
    organiser = db.session.scalar(select(Person).where(Person.email == summary.organiser_email))
    url = f"{live_server}/manage/e/{event.slug}/"
    context = browser.new_context(locale="fr-FR", viewport=DESK)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_server, summary.organiser_email)

    # Before the summit: the plan is published, nobody has arrived and no stand has scanned.
    page.goto(url)
    expect(page.get_by_test_id("total-confirmed")).to_have_text(str(summary.by_status["confirmed"]))
    expect(page.get_by_role("img", name="Inscriptions cumulées, par semaine avant le premier jour")).to_be_visible()
    expect(page.get_by_test_id("registrations-empty")).to_have_count(0)
    expect(page.get_by_test_id("arrivals-empty")).to_be_visible()
    expect(page.get_by_test_id("leads-empty")).to_be_visible()
    expect(page.get_by_test_id("realised-empty")).to_contain_text("Aucun badge n'a encore été scanné")
    expect(page.get_by_test_id("routed-chart").get_by_role("img")).to_be_visible()
    shoot(page, "dashboard-before-summit-fr")

    # The demo's previous edition (Blois 2026, the same team) is the curve to compare with; then the summit's
    # arrivals and scans.
    before = db.session.scalar(select(Event).where(Event.starts_on < event.starts_on)
                               .order_by(Event.starts_on.desc()).limit(1))
    counted = db.session.scalar(select(db.func.count(Registration.id)).where(
        Registration.event_id == before.id, Registration.status != RegistrationStatus.CANCELLED))
    assert organiser is not None and counted > 300
    rng = random.Random(2026)
    _arrivals_and_scans(event, rng)
    page.goto(url)
    active = sum(n for status, n in summary.by_status.items() if status != "cancelled")
    expect(page.get_by_test_id("registrations-curve").get_by_role("img")).to_have_attribute(
        "aria-label", f"Inscriptions cumulées, par semaine avant le premier jour. {active} inscriptions à ce jour. "
                      f"{before.name} : {counted} en tout.")
    expect(page.get_by_test_id("weeks-table").locator("thead th").last).to_have_text(before.name)
    expect(page.get_by_test_id("arrivals-chart").get_by_role("img")).to_be_visible()
    arrivals = db.session.scalar(select(db.func.count(CheckIn.id)).where(CheckIn.event_id == event.id))
    page.get_by_test_id("dash-arrivals").get_by_text("Les chiffres").click()
    table = page.get_by_test_id("arrivals-table")
    expect(table).to_be_visible()
    counts = [int(t.replace("\u202f", "")) for t in table.locator("tbody td").all_inner_texts()]
    assert sum(counts) == arrivals
    expect(page.get_by_test_id("leads-chart").get_by_role("img")).to_be_visible()
    expect(page.get_by_test_id("leads-table").get_by_test_id("leads-row")).to_have_count(20)
    expect(page.get_by_test_id("realised-chart").get_by_role("img")).to_have_attribute(
        "aria-label", re.compile(r"^Rencontres prévues et réalisées, par jour\. [\d\s]+ rencontres réalisées "
                                 r"sur [\d\s]+ prévues"))
    shoot(page, "dashboard-during-summit-fr")

    page.goto(f"{live_server}/lang/en?next=/manage/e/{event.slug}/")
    expect(page.get_by_role("heading", name="Registrations over time")).to_be_visible()
    shoot(page, "dashboard-during-summit-en")
    assert errors == []   # no CSP violation or script error
    context.close()
