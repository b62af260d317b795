"""Kinds kept a number of days after their edition's last day: door check-ins (their details), the files made
for the edition (badge PDFs, route sheets, and the jobs that made them), and the stands' contacts (the leads'
own purge, app.leads.retention, folded in as one kind)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import delete, func, select, update

from app.badging.models import CheckIn, PrintRun
from app.core.timefmt import to_local
from app.demonstrator.plans.models import SheetPart
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job
from app.leads import retention as leads_retention
from app.privacy.retention.boundaries import day_before


def _past_editions(boundary: date):
    """The ids of the editions whose last day is strictly before `boundary`."""
    return select(Event.id).where(Event.ends_on < boundary)


class EditionKind:
    unit = "days"

    def boundary(self, now: datetime, period: int) -> date:
        return day_before(now, period)


def _hour_of(moment: datetime | None, tz_name: str) -> datetime | None:
    """`moment` (naive UTC) cut down to the start of its hour in the edition's time zone, as naive UTC."""
    if moment is None:
        return None
    local = to_local(moment, tz_name).replace(minute=0, second=0, microsecond=0)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


class CheckIns(EditionKind):
    """A check-in past the boundary keeps what the edition's figures count (that the registration arrived, in
    which local hour) and loses the rest: the exact time, the volunteer who let the person in, the door."""

    def _changes(self, now: datetime, period: int) -> list[dict]:
        rows = db.session.execute(
            select(CheckIn.id, CheckIn.at, CheckIn.created_at, CheckIn.by_id, CheckIn.place, Event.timezone)
            .join(Event, Event.id == CheckIn.event_id)
            .where(CheckIn.event_id.in_(_past_editions(self.boundary(now, period))))
            .order_by(CheckIn.id))
        changes = []
        for check_in_id, at, created_at, by_id, place, tz_name in rows:
            kept = {"at": _hour_of(at, tz_name), "created_at": _hour_of(created_at, tz_name), "by_id": None,
                    "place": ""}
            if (at, created_at, by_id, place) != (kept["at"], kept["created_at"], None, ""):
                changes.append({"id": check_in_id, **kept})
        return changes

    def find(self, now: datetime, period: int) -> dict[str, int]:
        return {"check-ins": len(self._changes(now, period))}

    def erase(self, now: datetime, period: int) -> dict[str, int]:
        changes = self._changes(now, period)
        if changes:
            db.session.execute(update(CheckIn), changes)  # by primary key, in batches
            db.session.expire_all()
        return {"check-ins": len(changes)}


class EditionFiles(EditionKind):
    """The PDFs made for an edition past the boundary: its badges (print runs: names, QR codes) and its route
    sheets (names, tours), with the jobs that made them (a job's page offers its files)."""

    def _selection(self, now: datetime, period: int):
        editions = _past_editions(self.boundary(now, period))
        runs = PrintRun.event_id.in_(editions)
        sheets = SheetPart.event_id.in_(editions)
        job_ids = set(db.session.scalars(select(PrintRun.job_id).where(runs, PrintRun.job_id.is_not(None))))
        job_ids |= set(db.session.scalars(select(SheetPart.job_id).where(sheets)))
        return runs, sheets, sorted(job_ids)

    @staticmethod
    def _count(model, where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(where)) or 0

    def find(self, now: datetime, period: int) -> dict[str, int]:
        runs, sheets, job_ids = self._selection(now, period)
        return {"badge PDFs": self._count(PrintRun, runs), "route sheet PDFs": self._count(SheetPart, sheets),
                "jobs": len(job_ids)}

    def erase(self, now: datetime, period: int) -> dict[str, int]:
        counts = self.find(now, period)
        runs, sheets, job_ids = self._selection(now, period)
        options = {"synchronize_session": False}
        db.session.execute(delete(SheetPart).where(sheets), execution_options=options)
        db.session.execute(delete(PrintRun).where(runs), execution_options=options)
        if job_ids:
            db.session.execute(delete(Job).where(Job.id.in_(job_ids)), execution_options=options)
        db.session.expire_all()
        return counts


class Leads(EditionKind):
    """The stands' contacts and scans (S12): app.leads.retention's own purge, which writes its audit row per
    edition (`lead.purge`) as `flask leads purge` always did."""

    def find(self, now: datetime, period: int) -> dict[str, int]:
        expired = leads_retention.expired_editions(today=now.date(), retention_days=period)
        return {"contacts": sum(e.num_contacts for e in expired), "scans": sum(e.num_scans for e in expired)}

    def erase(self, now: datetime, period: int) -> dict[str, int]:
        expired = leads_retention.purge_expired_contacts(today=now.date(), retention_days=period)
        return {"contacts": sum(e.num_contacts for e in expired), "scans": sum(e.num_scans for e in expired)}


CHECKINS = CheckIns()
FILES = EditionFiles()
LEADS = Leads()
