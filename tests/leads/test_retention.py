"""Contacts are erased a retention period after their edition (S12): by `flask leads purge`, and as the kind `leads`
of the daily retention pass (tests/privacy/retention/test_daily.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.leads import retention
from app.leads.models import Device, Lead, Scan
from tests.leads.conftest import scan, upload


def _count(model, event) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event.id))


def _scanned(client, make_stand, make_device, make_badge, target, name: str, n: int = 2):
    stand = make_stand(name, target=target)
    _, token = make_device(stand)
    codes = [make_badge(target)[1] for _ in range(n)]
    response = upload(client, token, [scan(code, f"{name[:3]}-{i}", notes="Rappeler") for i, code in enumerate(codes)])
    assert response.status_code == 200 and response.get_json()["stored"] == n
    return stand


def test_contacts_of_an_edition_past_its_retention_are_erased_and_audited(client, make_event, make_stand, make_device,
                                                                        make_badge):
    old = make_event(slug="sommet-2025", starts_on=date(2025, 6, 2), ends_on=date(2025, 6, 4))
    recent = make_event(slug="sommet-2026", starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 4))
    _scanned(client, make_stand, make_device, make_badge, old, "Capteurs du Morvan", 3)
    _scanned(client, make_stand, make_device, make_badge, recent, "Loire Mobilités", 2)

    # 2025-06-04 + 365 days = 2026-06-04: still kept on that day, erased the day after
    assert retention.purge_expired_contacts(today=date(2026, 6, 4), retention_days=365) == []
    erased = retention.purge_expired_contacts(today=date(2026, 6, 5), retention_days=365)
    db.session.commit()

    assert [(e.slug, e.num_contacts, e.num_scans) for e in erased] == [("sommet-2025", 3, 3)]
    assert (_count(Lead, old), _count(Scan, old)) == (0, 0)
    assert (_count(Lead, recent), _count(Scan, recent)) == (2, 2)
    assert _count(Device, old) == 1  # the stand's devices are not contacts
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "lead.purge"))
    assert entry.event_id == old.id and entry.details["contacts"] == 3 and entry.details["retention_days"] == 365
    # a second pass finds nothing left to erase
    assert retention.purge_expired_contacts(today=date(2026, 6, 5), retention_days=365) == []


def test_purge_command_says_what_it_would_erase_then_erases_it(app, client, make_event, make_stand, make_device,
                                                              make_badge):
    old = make_event(slug="sommet-2019", starts_on=date(2019, 6, 2), ends_on=date(2019, 6, 4))
    _scanned(client, make_stand, make_device, make_badge, old, "Capteurs du Morvan", 2)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["leads", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "sommet-2019 (ended 2019-06-04): would erase 2 contacts, 2 scans" in dry.output
    assert _count(Lead, old) == 2

    done = runner.invoke(args=["leads", "purge"])
    assert done.exit_code == 0 and "erased 2 contacts" in done.output
    assert _count(Lead, old) == 0
    assert "No edition ended more than 365 days ago holds contacts." in runner.invoke(args=["leads", "purge"]).output


def test_purge_command_refuses_a_negative_retention_and_erases_nothing(app, client, make_event, make_stand,
                                                                      make_device, make_badge):
    old = make_event(slug="sommet-2019", starts_on=date(2019, 6, 2), ends_on=date(2019, 6, 4))
    _scanned(client, make_stand, make_device, make_badge, old, "Capteurs du Morvan", 1)
    result = app.test_cli_runner().invoke(args=["leads", "purge", "--retention-days", "-3"])
    assert result.exit_code == 2 and "--retention-days" in result.output
    assert _count(Lead, old) == 1

