"""`flask data purge [--dry-run] [--kind KIND ...]` and the daily pass."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.core.timefmt import utcnow
from app.extensions import db
from app.leads.models import Lead
from app.mail.models import OutboxMessage
from app.privacy.retention.tasks import purge_past_retention_daily
from tests.leads.test_retention import _count, _scanned
from tests.privacy.retention.test_dated import _mail, _purges


def _mails() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_the_command_says_per_kind_what_it_would_erase_then_erases_it(app):
    _mail(utcnow() - timedelta(days=200))
    _mail(utcnow() - timedelta(days=181))
    _mail(utcnow() - timedelta(days=10))
    db.session.commit()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["data", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    lines = dry.output.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["leads", "checkins", "files", "imports", "jobs", "outbox",
                                                      "exports", "login-failures", "audit", "people"]
    assert any(line.startswith("outbox (kept 180 days, before ") and line.endswith("would erase 2 mails")
               for line in lines)
    assert any(line.startswith("people (kept 3 years, before ") and line.endswith("nothing to erase")
               for line in lines)
    assert _mails() == 3 and _purges() == []

    done = runner.invoke(args=["data", "purge", "--kind", "outbox", "--kind", "audit"])
    assert done.exit_code == 0, done.output
    assert [line.split(" ")[0] for line in done.output.splitlines()] == ["outbox", "audit"]
    assert "erased 2 mails" in done.output and _mails() == 1
    assert [e.details["kind"] for e in _purges()] == ["outbox"]


def test_the_command_refuses_an_unknown_kind_and_a_negative_period_and_erases_nothing(app, monkeypatch):
    _mail(utcnow() - timedelta(days=400))
    db.session.commit()
    runner = app.test_cli_runner()

    unknown = runner.invoke(args=["data", "purge", "--kind", "outbox", "--kind", "contacts"])
    assert unknown.exit_code == 2
    assert "Invalid value for '--kind': 'contacts' is not one of" in unknown.output and "'outbox'" in unknown.output

    monkeypatch.setitem(app.config, "RETENTION_AUDIT_DAYS", -1)
    negative = runner.invoke(args=["data", "purge"])
    assert negative.exit_code == 1
    assert "Error: RETENTION_AUDIT_DAYS must be a whole number of days, 0 or more (it is -1)" in negative.output
    assert _mails() == 1 and _purges() == []  # checked before anything is erased


def test_the_daily_pass_runs_every_kind_with_the_configured_periods(app, client, make_event, make_stand,
                                                                   make_device, make_badge, monkeypatch):
    old = make_event(slug="sommet-2024", starts_on=date(2024, 6, 2), ends_on=date(2024, 6, 4))
    _scanned(client, make_stand, make_device, make_badge, old, "Capteurs du Morvan", 2)
    _mail(utcnow() - timedelta(days=3))
    db.session.commit()
    mails = _mails()  # with those the registrations sent today
    monkeypatch.setitem(app.config, "LEADS_RETENTION_DAYS", 100_000)
    first = purge_past_retention_daily.call_local()
    assert first["leads"] == 0 and first["outbox"] == 0 and _count(Lead, old) == 2 and _mails() == mails
    monkeypatch.setitem(app.config, "LEADS_RETENTION_DAYS", 30)
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", 2)
    second = purge_past_retention_daily.call_local()
    assert second["leads"] == 4 and second["outbox"] == 1  # 2 contacts and 2 scans; the mail
    assert _count(Lead, old) == 0 and _mails() == mails - 1
