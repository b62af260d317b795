"""The organiser reads the edition's report on the demo summit (its plan published, the stands' scans, outcomes of
the meetings): charts next to tables, a chosen N of officials met, and downloads the PDF and the spreadsheet."""
import io
import random
import re
from collections import Counter
from datetime import timedelta

from openpyxl import load_workbook
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from sqlalchemy import select

from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.events.models import Event
from app.extensions import db
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus
from app.outcomes.services import OutcomeError, OutcomeInput, record_outcome
from app.registrations.models import Registration
from tests.conftest import TEST_PASSWORD
from tests.demonstrator.test_realised import add_scan


def meetings_and_outcomes(event: Event, rng: random.Random) -> tuple[int, Counter, Counter]:
    """Scans realising the first visits of the published plan (officials alone), and an outcome of most of them."""
    plan = db.session.scalar(select(VisitPlan).where(VisitPlan.event_id == event.id,
                                                     VisitPlan.status == PlanStatus.PUBLISHED))
    visits = list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id,
                                                                PlannedVisit.registration_id.is_not(None))
                                     .order_by(PlannedVisit.starts_at, PlannedVisit.id).limit(60)))
    made: Counter = Counter()
    ranked: Counter = Counter()  # "nothing for now" is not an outcome that ranks a city
    for visit in visits:
        add_scan(event, visit.startup_id, visit.registration_id, visit.starts_at + timedelta(minutes=1))
        if rng.random() < 0.5:
            continue
        data = OutcomeInput(rng.choice(list(OutcomeKind)), rng.choice(list(OutcomeStatus)), event.starts_on)
        try:
            outcome = record_outcome(event, data, stand=db.session.get(Registration, visit.startup_id),
                                     registration=db.session.get(Registration, visit.registration_id),
                                     source=OutcomeSource.VISIT, planned_visit_id=visit.id, actor_id=None,
                                     side=OutcomeSide.STARTUP)
        except OutcomeError:
            db.session.rollback()
            continue
        made[outcome.organisation.name] += 1
        if outcome.kind != OutcomeKind.NONE:
            ranked[outcome.organisation.name] += 1
    db.session.commit()
    return len(visits), made, ranked


def test_organiser_reads_and_downloads_the_report(browser: Browser, live_server, planned_demo_summit, shoot,
                                                  tmp_path):
    event = db.session.get(Event, planned_demo_summit.event_id)
    realised, cities, ranked = meetings_and_outcomes(event, random.Random(18))
    outcomes = sum(cities.values())
    results, nothing = sum(ranked.values()), outcomes - sum(ranked.values())  # "nothing for now" told apart
    assert results >= 10 and nothing >= 1
    top_city, top_count = ranked.most_common(1)[0]
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail", exact=True).fill(planned_demo_summit.organiser_email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/manage/e/{event.slug}/")
    page.get_by_role("link", name="Rapport", exact=True).click()
    expect(page.get_by_role("heading", name="Rapport de l'édition")).to_be_visible()
    expect(page.get_by_test_id("total-realised")).to_have_text(str(realised))
    expect(page.get_by_test_id("total-outcomes")).to_have_text(str(results))
    expect(page.get_by_test_id("total-nothing")).to_contain_text(f"et {nothing} rencontre")
    # The charts are images with a name, each next to its table.
    for name in ("Rencontres par jour", "Rencontres par thématique", "Rencontres par pays", "Rencontres par catégorie",
                 "Retombées par type et statut", "Villes et organisations aux retombées les plus nombreuses"):
        expect(page.get_by_role("img", name=re.compile(f"^{re.escape(name)}"))).to_be_visible()
        expect(page.get_by_role("table", name=name)).to_be_visible()
    cities_table = page.get_by_role("table", name="Villes et organisations aux retombées les plus nombreuses")
    expect(cities_table.get_by_role("row").nth(1)).to_contain_text(str(top_count))
    shoot(page, "report-fr")

    # N officials met: 1 instead of 3.
    page.get_by_label("Élus et décideurs rencontrés (n)").fill("1")
    page.get_by_role("button", name="Compter").click()
    expect(page.get_by_test_id("at-least")).to_contain_text("au moins 1 élu ou décideur")

    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    reader = PdfReader(str(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert f"{realised} réalisées" in text
    assert f"{results} retombées enregistrées" in text and f"Par ailleurs, {nothing} rencontre" in text
    assert top_city in text and "Retombées par type et statut" in text

    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    xlsx = tmp_path / "report.xlsx"
    download.value.save_as(xlsx)
    workbook = load_workbook(io.BytesIO(xlsx.read_bytes()))
    rows = list(workbook["outcomes"].iter_rows(values_only=True))
    assert len(rows) == 1 + outcomes
    assert Counter(r[2] for r in rows[1:]) == cities
    assert db.session.query(Outcome).filter_by(event_id=event.id).count() == outcomes

    page.goto(f"{live_server}/lang/en?next=/manage/e/{event.slug}/report")
    expect(page.get_by_role("heading", name="Report of the edition")).to_be_visible()
    page.get_by_role("link", name="All editions").click()
    expect(page.get_by_role("table", name="Outcomes per edition")).to_contain_text(str(outcomes))
    page.get_by_role("link", name=top_city).first.click()
    expect(page.get_by_role("heading", name=top_city)).to_be_visible()
    shoot(page, "report-timeline-en")
    page.goto(f"{live_server}/manage/e/{event.slug}/report")
    shoot(page, "report-en")
    context.close()
