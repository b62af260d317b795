"""Rows dated by a moment (the outbox, imports, audit rows, failed logins, finished jobs): a row strictly older than
`now - N days` is erased, one exactly on the boundary is kept (issue 19, S12)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import LoginFailure
from app.badging.models import PrintRun
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.mail.models import OutboxMessage
from app.privacy.retention.purge import purge
from app.privacy.subject.models import DataExport
from app.registrations.imports.models import ImportBatch, ImportStatus

NOW = datetime(2026, 6, 10, 12, 0, 0)
JUST = timedelta(microseconds=1)


def _ids(model) -> list[int]:
    return list(db.session.scalars(select(model.id).order_by(model.id)))


def _purges() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "retention.purge")
                                   .order_by(AuditEntry.id)))


def _mail(at: datetime, status: str = "sent") -> OutboxMessage:
    message = OutboxMessage(recipient="lea.martin@example.org", subject="Votre badge", body="Bonjour Léa",
                            status=status, created_at=at)
    db.session.add(message)
    return message


def test_the_outbox_keeps_a_mail_exactly_on_its_boundary_and_erases_the_older_ones(app):
    boundary = NOW - timedelta(days=app.config["RETENTION_OUTBOX_DAYS"])
    older, never_sent = _mail(boundary - JUST), _mail(boundary - timedelta(days=40), status="failed")
    on_it, recent = _mail(boundary), _mail(NOW - timedelta(hours=1))
    db.session.commit()
    kept, erased = [on_it.id, recent.id], [older.id, never_sent.id]

    [outcome] = purge(now=NOW, config=app.config, kinds=["outbox"])
    db.session.commit()

    assert outcome.counts == {"mails": 2} and outcome.boundary == boundary
    assert _ids(OutboxMessage) == kept and not set(erased) & set(kept)
    [entry] = _purges()
    assert entry.actor_id is None and entry.object_type == "" and entry.object_id == ""
    assert entry.details == {"kind": "outbox", "counts": {"mails": 2}, "kept": "180 days",
                             "before": boundary.isoformat()}
    # the second pass finds nothing, and writes no audit row for nothing
    assert purge(now=NOW, config=app.config, kinds=["outbox"])[0].counts == {"mails": 0}
    assert len(_purges()) == 1


def test_a_dry_run_counts_and_changes_nothing(app):
    _mail(NOW - timedelta(days=400))
    _mail(NOW)
    db.session.add(LoginFailure(email="x@example.org", address="203.0.113.9", at=NOW - timedelta(days=31)))
    db.session.commit()

    outcomes = {o.kind: o.counts for o in purge(now=NOW, config=app.config, dry_run=True)}
    db.session.commit()

    assert outcomes["outbox"] == {"mails": 1} and outcomes["login-failures"] == {"failed logins": 1}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1
    assert _purges() == []


def test_imports_are_erased_whole_after_their_period_whatever_their_status(app, event):
    boundary = NOW - timedelta(days=app.config["RETENTION_IMPORTS_DAYS"])

    def batch(at: datetime, status: ImportStatus) -> ImportBatch:
        row = ImportBatch(event_id=event.id, filename="inscrits.csv", content=b"email;nom\nlea@example.org;Martin",
                          size=31, sha256="0" * 64, status=status, summary={"rows": [["Léa", "Martin"]]},
                          created_at=at)
        db.session.add(row)
        return row

    batch(boundary - JUST, ImportStatus.PREVIEWED)  # never confirmed: its file still holds the people
    batch(boundary - timedelta(days=300), ImportStatus.IMPORTED)
    kept = [batch(boundary, ImportStatus.IMPORTED), batch(NOW, ImportStatus.PREVIEWED)]
    db.session.commit()
    kept_ids = [b.id for b in kept]

    [outcome] = purge(now=NOW, config=app.config, kinds=["imports"])
    db.session.commit()
    assert outcome.counts == {"imports": 2} and _ids(ImportBatch) == kept_ids


def test_audit_rows_and_failed_logins_older_than_their_period_are_erased(app):
    audit_boundary = NOW - timedelta(days=app.config["RETENTION_AUDIT_DAYS"])
    login_boundary = NOW - timedelta(days=app.config["RETENTION_LOGIN_FAILURES_DAYS"])
    for at in (audit_boundary - JUST, audit_boundary, NOW):
        db.session.add(AuditEntry(action="checkin", actor_id=None, at=at))
    for at in (login_boundary - JUST, login_boundary - timedelta(days=2), login_boundary):
        db.session.add(LoginFailure(email="lea@example.org", address="203.0.113.9", at=at))
    db.session.commit()

    outcomes = {o.kind: o.counts for o in purge(now=NOW, config=app.config, kinds=["audit", "login-failures"])}
    db.session.commit()

    assert outcomes == {"audit": {"audit rows": 1}, "login-failures": {"failed logins": 2}}
    assert [at for (at,) in db.session.execute(select(AuditEntry.at).where(AuditEntry.action == "checkin")
                                               .order_by(AuditEntry.at))] == [audit_boundary, NOW]
    assert list(db.session.scalars(select(LoginFailure.at))) == [login_boundary]


def test_finished_jobs_go_after_their_period_but_running_ones_and_those_with_files_stay(app, event):
    boundary = NOW - timedelta(days=app.config["RETENTION_JOBS_DAYS"])

    def job(status: JobStatus, finished_at: datetime | None, created_at: datetime | None = None) -> Job:
        row = Job(event_id=event.id, kind="badges.print", status=status, finished_at=finished_at,
                  created_at=created_at or (finished_at or NOW) - timedelta(minutes=5), result={"badges": 4})
        db.session.add(row)
        return row

    done_before, failed_before = job(JobStatus.DONE, boundary - JUST), job(JobStatus.FAILED, boundary - timedelta(1))
    on_it = job(JobStatus.DONE, boundary)
    running = job(JobStatus.RUNNING, None, created_at=boundary - timedelta(days=10))
    with_badges = job(JobStatus.DONE, boundary - timedelta(days=10))
    db.session.flush()
    db.session.add(PrintRun(event_id=event.id, job_id=with_badges.id, num_badges=4, pdf=b"%PDF-1.7"))
    db.session.commit()
    kept, erased = [on_it.id, running.id, with_badges.id], [done_before.id, failed_before.id]

    [outcome] = purge(now=NOW, config=app.config, kinds=["jobs"])
    db.session.commit()
    assert outcome.counts == {"jobs": 2} and _ids(Job) == kept and not set(erased) & set(kept)


def test_a_period_of_zero_erases_everything_older_than_now(app, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_DAYS", 0)
    _mail(NOW - JUST)
    _mail(NOW)
    db.session.commit()
    assert purge(now=NOW, config=app.config, kinds=["outbox"])[0].counts == {"mails": 1}


def test_the_boundary_of_an_edition_kind_is_a_day(app):
    outcomes = {o.kind: o for o in purge(now=NOW, config=app.config, dry_run=True)}
    assert outcomes["checkins"].boundary == date(2026, 3, 12)  # 90 days before 10 June
    assert outcomes["people"].boundary == date(2023, 6, 10)


def test_a_data_export_never_downloaded_goes_once_its_link_expired(app, make_person):
    person = make_person("lea.martin@example.org")
    expired, on_it = (DataExport(person_id=person.id, content=b"PK zip of her data", size=18, expires_at=at)
                      for at in (NOW - JUST, NOW))
    db.session.add_all([expired, on_it])
    db.session.commit()
    kept = on_it.id
    [outcome] = purge(now=NOW, config=app.config, kinds=["exports"])
    db.session.commit()
    assert outcome.counts == {"data exports": 1} and _ids(DataExport) == [kept]
