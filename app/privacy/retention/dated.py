"""Kinds of rows dated by a moment and kept a number of days after it: the outbox, attendee imports, the audit
trail, failed logins, finished jobs, a person's data exports (counted from their link's expiry). Past its
boundary, a row is deleted."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, func, select

from app.audit.models import AuditEntry
from app.auth.models import LoginFailure
from app.badging.models import PrintRun
from app.demonstrator.plans.models import SheetPart
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.mail.models import OutboxMessage
from app.privacy.retention.boundaries import moment_before
from app.privacy.subject.models import DataExport
from app.registrations.imports.models import ImportBatch


def _count(model, where: ColumnElement[bool]) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(where)) or 0


def _delete(model, where: ColumnElement[bool]) -> int:
    # Not through the session: thousands of rows, and their files (LargeBinary) are never loaded.
    result = db.session.execute(delete(model).where(where), execution_options={"synchronize_session": False})
    db.session.expire_all()
    return result.rowcount


class DatedKind:
    """Rows of `model` whose `column` is strictly before `now - period` days. `noun` names them in counts."""

    unit = "days"

    def __init__(self, model, column, noun: str):
        self.model, self.column, self.noun = model, column, noun

    def boundary(self, now: datetime, period: int) -> datetime:
        return moment_before(now, period)

    def where(self, boundary: datetime) -> ColumnElement[bool]:
        return self.column < boundary

    def find(self, now: datetime, period: int) -> dict[str, int]:
        return {self.noun: _count(self.model, self.where(self.boundary(now, period)))}

    def erase(self, now: datetime, period: int) -> dict[str, int]:
        return {self.noun: _delete(self.model, self.where(self.boundary(now, period)))}


class FinishedJobs(DatedKind):
    """Jobs done or failed strictly before the boundary. A job that made files (badge PDFs, route sheets) is not
    one of them: it goes with its files, counted from its edition's end (app.privacy.retention.editions)."""

    def __init__(self):
        super().__init__(Job, func.coalesce(Job.finished_at, Job.created_at), "jobs")

    def where(self, boundary: datetime) -> ColumnElement[bool]:
        return (Job.status.in_([JobStatus.DONE, JobStatus.FAILED]) & (self.column < boundary)
                & ~exists().where(PrintRun.job_id == Job.id) & ~exists().where(SheetPart.job_id == Job.id))


OUTBOX = DatedKind(OutboxMessage, OutboxMessage.created_at, "mails")
#: An import is deleted whole: its file's bytes, the preview's sample rows, its result.
IMPORTS = DatedKind(ImportBatch, ImportBatch.created_at, "imports")
AUDIT = DatedKind(AuditEntry, AuditEntry.at, "audit rows")
LOGIN_FAILURES = DatedKind(LoginFailure, LoginFailure.at, "failed logins")
JOBS = FinishedJobs()
#: An export never downloaded keeps its ZIP (all she left in the app) until its link expired and the period after.
EXPORTS = DatedKind(DataExport, DataExport.expires_at, "data exports")
