"""An organiser reads planned versus realised meetings: the whole demonstrator with its charts, a day, a startup,
a delegation. The plan is computed and published through the app; the scans are stored as the scanning API does."""
import random
from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.demonstrator.plans import editing, planning
from app.demonstrator.plans.models import PlannedVisit
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations import delegations
from tests.conftest import TEST_PASSWORD
from tests.demonstrator.conftest import confirm, utc
from tests.demonstrator.test_realised import add_scan

NAMES = ["Parkia", "Watt Ville", "Donnéa", "Santé Proche", "Mobilis", "Solaris Cité", "OpenCommune", "Bien Vieillir",
         "Vélo Partagé", "Thermia", "CitéData", "Médecin Mobile", "Navette Douce", "Éclairage Futé", "Open Budget",
         "Aidants Connect", "Covoit'Rural", "Réseau Chaleur", "Cartes Vivantes", "Télésoin", "Bus à la Demande",
         "Sobriété Plus", "Parcelles", "Maison Santé+"]
THEMES = ["mobilite", "energie", "donnees-numerique", "sante"]


def log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def build_summit(event, make_registration):
    """24 startups on two days, ten officials (three of them a delegation), two one-hour tour slots a day."""
    days = event.days[:2]
    startups = []
    for i, name in enumerate(NAMES):
        startup = confirm(make_registration(event, CategoryCode.STARTUP, theme_codes=[THEMES[i % 4]],
                                            organisation_name=name, days=days))
        stand = hall_services.save_stand(event, hall_services.StandInput(f"{'AB'[i // 12]}{i % 12 + 1}", x=4 + 4.5 * (i % 12), y=8 + 12 * (i // 12)),
                                         actor_id=None)
        hall_calendar.book_stand(event, stand, startup, utc(days[0], "08:00"), utc(days[1], "18:00"), actor_id=None)
        startups.append(startup)
    officials = [confirm(make_registration(event, CategoryCode.ELU, theme_codes=THEMES[i % 4: i % 4 + 2], days=days,
                                           first_name=first, last_name=last))
                 for i, (first, last) in enumerate([("Anne", "Morel"), ("Bruno", "Lefèvre"), ("Claire", "Petit"),
                                                    ("David", "Roux"), ("Élise", "Fontaine"), ("Farid", "Benali"),
                                                    ("Gaëlle", "Marchand"), ("Hugo", "Chevalier"),
                                                    ("Inès", "Girard"), ("Jules", "Bonnet")])]
    group = delegations.create_delegation(event, "Délégation de Bourges", actor_id=None)
    delegations.set_members(event, group, [o.id for o in officials[7:]], officials[7].id, actor_id=None)
    for day in days:
        hall_calendar.add_tour_slot(event, utc(day, "10:00"), utc(day, "11:00"), "Matin", actor_id=None)
        hall_calendar.add_tour_slot(event, utc(day, "14:30"), utc(day, "15:30"), "Après-midi", actor_id=None)
    db.session.commit()
    return startups, officials, group


def test_organiser_reads_planned_versus_realised(browser: Browser, live_server, event, make_organiser,
                                                 make_registration, shoot):
    organiser = make_organiser(event)
    startups, officials, group = build_summit(event, make_registration)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_server, organiser.email)
    url = f"{live_server}/manage/e/{event.slug}/demonstrator/realised/"
    page.goto(f"{live_server}/manage/e/{event.slug}/contacts/")   # the way in, until the demonstrator has its tabs
    page.get_by_test_id("realised-link").click()
    expect(page).to_have_url(url)
    expect(page.get_by_test_id("no-plan")).to_be_visible()
    expect(page.get_by_test_id("realised-stats")).to_have_count(0)
    shoot(page, "realised-no-plan-fr")

    plan = planning.request_plan(event, planning.PlanRequest(time_limit=3), actor_id=None)
    editing.publish(plan, actor_id=None)
    visits = list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id)
                                     .order_by(PlannedVisit.starts_at, PlannedVisit.id)))
    assert len(visits) > 20
    page.goto(url)
    expect(page.get_by_test_id("no-scans")).to_be_visible()
    expect(page.get_by_test_id("stat-realised")).to_have_text("0")
    shoot(page, "realised-no-scans-fr")

    # About two visits in three are scanned, a few minutes in; mornings better than afternoons.
    rng = random.Random(7)
    realised_ids = set()
    for v in visits:
        afternoon = v.starts_at.hour >= 12
        if rng.random() < (0.5 if afternoon else 0.8):
            person = v.registration_id or rng.choice([o.id for o in officials[7:]])
            add_scan(event, v.startup_id, person, v.starts_at + timedelta(minutes=rng.randint(-5, 12)))
            realised_ids.add(v.id)
    # Unplanned meetings: officials stopping at a stand outside their plan, and one visitor from the public.
    for i in range(5):
        add_scan(event, startups[i].id, officials[i].id, visits[0].starts_at + timedelta(hours=3, minutes=40 + i))
    public = confirm(make_registration(event, CategoryCode.VISITEUR, first_name="Zoé", last_name="Public"))
    add_scan(event, startups[0].id, public.id, visits[0].starts_at + timedelta(hours=1, minutes=50))

    page.goto(url)
    expect(page.get_by_test_id("stat-planned")).to_have_text(str(len(visits)))
    expect(page.get_by_test_id("stat-realised")).to_have_text(str(len(realised_ids)))
    expect(page.get_by_test_id("stat-unplanned")).to_have_text("6")
    expect(page.get_by_test_id("slot-chart").get_by_test_id("rate-row")).to_have_count(4)
    expect(page.get_by_test_id("day-chart")).to_be_visible()
    expect(page.get_by_test_id("rank-chart").get_by_test_id("rank-row")).to_have_count(20)
    expect(page.get_by_test_id("visitors")).to_contain_text("Délégation de Bourges")
    shoot(page, "realised-overview-fr")

    page.get_by_test_id("day-tabs").get_by_role("link").nth(2).click()
    second_day = [v for v in visits if v.starts_at.date() == event.days[1]]
    expect(page.get_by_test_id("stat-planned")).to_have_text(str(len(second_day)))
    shoot(page, "realised-day-2-fr")

    page.get_by_test_id("day-tabs").get_by_role("link").first.click()
    page.get_by_test_id("startups").get_by_role("link", name="Parkia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parkia")
    planned_here = [v for v in visits if v.startup_id == startups[0].id]
    expect(page.get_by_test_id("visit-row")).to_have_count(len(planned_here))
    expect(page.get_by_test_id("unplanned")).to_contain_text("Zoé Public")
    shoot(page, "realised-startup-fr")

    page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/realised/delegations/{group.id}")
    expect(page.get_by_test_id("member-row")).to_have_count(3)
    shoot(page, "realised-delegation-fr")

    assert errors == []  # no CSP violation or script error on the way

    response = page.goto(f"{live_server}/manage/e/{event.slug}/demonstrator/realised/?day=2099-01-01")
    assert response.status == 400
    expect(page.get_by_test_id("day-error")).to_contain_text("2099")
    context.close()
