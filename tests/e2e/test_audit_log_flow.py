"""The organiser of the demo summit opens the audit log from the edition's menu, finds the rows about one official
by typing her name without accents, exports them as CSV, and sees her export in the log (issue 19)."""
from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from playwright.sync_api import Browser, expect
from sqlalchemy import String, cast, func, select

from app.audit.models import AuditEntry
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration
from tests.e2e.test_visits_flow import log_in


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def test_an_organiser_filters_the_demo_summits_audit_log_by_a_person_and_exports_it(browser: Browser, live_server,
                                                                                    demo_summit):
    event = db.session.get(Event, demo_summit.event_id)
    num_rows = db.session.scalar(select(func.count()).where(AuditEntry.event_id == event.id))
    num_actions = db.session.scalar(select(func.count(AuditEntry.action.distinct())).where(
        AuditEntry.event_id == event.id))
    assert num_rows > 100 and num_actions >= 8  # a realistic log on a fresh demo
    # The registration the log mentions most, and its person's name typed the way an organiser would.
    registration_id, num_about_her = db.session.execute(
        select(AuditEntry.object_id, func.count()).where(AuditEntry.event_id == event.id,
                                                         AuditEntry.object_type == "registration")
        .group_by(AuditEntry.object_id).order_by(func.count().desc(), AuditEntry.object_id).limit(1)).one()
    person = db.session.get(Registration, int(registration_id)).person
    same_name = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, cast(Registration.id, String) != registration_id,
        Registration.person.has(first_name=person.first_name, last_name=person.last_name)))
    assert same_name == 0

    page = browser.new_context(locale="fr-FR", accept_downloads=True).new_page()
    log_in(page, live_server, demo_summit.organiser_email)
    page.goto(f"{live_server}/manage/e/{event.slug}/")
    page.get_by_role("navigation", name="Édition").get_by_role("link", name="Journal d'audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal d'audit")
    expect(page.get_by_test_id("result-count")).to_contain_text("lignes")
    count = page.get_by_test_id("result-count").inner_text().split("lignes")[0]
    assert int("".join(c for c in count if c.isdigit())) == num_rows  # "1 733 lignes"
    expect(page.get_by_test_id("audit-row")).to_have_count(50)

    page.get_by_label("Personne").fill(unaccented(person.full_name).upper())
    page.get_by_role("button", name="Filtrer").click()
    rows = page.get_by_test_id("audit-row")
    expect(rows.first).to_contain_text(person.full_name)
    shown = rows.count()
    assert shown >= num_about_her
    for text in rows.all_inner_texts():
        assert person.full_name in text

    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(content)))
    assert len(exported) == shown and all(person.full_name in r["actor"] + r["object"] for r in exported)
    assert download.value.suggested_filename == f"audit-{event.slug}.csv"

    # The export is in the log, under its own kind.
    page.goto(f"{live_server}/manage/e/{event.slug}/audit")
    page.get_by_label("Action").select_option(label="Journal d'audit exporté")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_test_id("audit-row")).to_have_count(1)
    expect(page.get_by_test_id("audit-row")).to_contain_text(f"rows: {shown}")
