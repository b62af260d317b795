"""Kinds counted from an edition's last day (check-ins' details, the edition's PDFs, the stands' contacts): an
edition that ended strictly before `today - N days` is past, one that ended on that very day is kept."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.backoffice.figures import arrivals
from app.badging.models import CheckIn, PrintRun
from app.demonstrator.plans.models import PlanStatus, SheetPart, VisitPlan
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.leads.models import Lead
from app.privacy.retention.purge import purge
from app.registrations.models import Registration
from tests.privacy.retention.test_dated import NOW, _purges
from tests.leads.test_retention import _count, _scanned


def _edition(make_event, slug: str, ends_on: date, **fields):
    return make_event(slug=slug, name=f"Sommet {slug}", starts_on=ends_on - timedelta(days=1), ends_on=ends_on,
                      **fields)


def _check_in(registration: Registration, at: datetime, by_id: int | None, place: str = "Entrée nord") -> CheckIn:
    row = CheckIn(event_id=registration.event_id, registration_id=registration.id, at=at, created_at=at,
                  by_id=by_id, place=place)
    db.session.add(row)
    return row


def test_check_ins_of_a_past_edition_keep_only_their_local_hour_and_the_figures_do_not_move(
        app, make_event, make_registration, make_organiser):
    boundary = NOW.date() - timedelta(days=app.config["RETENTION_CHECKINS_DAYS"])  # 2026-03-12
    past = _edition(make_event, "sommet-2025", boundary - timedelta(days=1))
    # a zone half an hour off UTC: the hour kept is the local one, which the figures count
    far = _edition(make_event, "sommet-pune", boundary - timedelta(days=200), timezone="Asia/Kolkata")
    on_it = _edition(make_event, "sommet-2026", boundary)
    volunteer = make_organiser(past)
    nevers = _check_in(make_registration(past), datetime(2026, 3, 10, 7, 42, 13, 500), volunteer.id)
    pune = _check_in(make_registration(far), datetime(2025, 8, 23, 3, 12, 5), volunteer.id)
    late = _check_in(make_registration(past), datetime(2026, 3, 10, 8, 0), None, place="")  # already bare
    kept = _check_in(make_registration(on_it), datetime(2026, 3, 11, 9, 17), volunteer.id)
    db.session.commit()
    before = [arrivals(e).counts for e in (past, far, on_it)]

    assert purge(now=NOW, config=app.config, kinds=["checkins"], dry_run=True)[0].counts == {"check-ins": 2}
    assert db.session.get(CheckIn, nevers.id).by_id == volunteer.id

    [outcome] = purge(now=NOW, config=app.config, kinds=["checkins"])
    db.session.commit()

    assert outcome.counts == {"check-ins": 2}
    nevers, pune, late, kept = (db.session.get(CheckIn, c.id) for c in (nevers, pune, late, kept))
    # Paris is UTC+1 on 10 March: 08:42 local becomes 08:00 local, 07:00 UTC
    assert (nevers.at, nevers.created_at, nevers.by_id, nevers.place) == (datetime(2026, 3, 10, 7, 0), datetime(
        2026, 3, 10, 7, 0), None, "")
    assert pune.at == datetime(2025, 8, 23, 2, 30)  # 08:42 in Pune becomes 08:00 there, 02:30 UTC
    assert late.at == datetime(2026, 3, 10, 8, 0)
    assert (kept.at, kept.by_id, kept.place) == (datetime(2026, 3, 11, 9, 17), volunteer.id, "Entrée nord")
    assert [arrivals(e).counts for e in (past, far, on_it)] == before
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 4  # every arrival still counts
    assert purge(now=NOW, config=app.config, kinds=["checkins"])[0].counts == {"check-ins": 0}
    assert [e.details["counts"] for e in _purges()] == [{"check-ins": 2}]


def test_an_editions_pdfs_and_the_jobs_that_made_them_go_a_period_after_it_ended(app, make_event):
    boundary = NOW.date() - timedelta(days=app.config["RETENTION_FILES_DAYS"])  # 2026-05-11
    past = _edition(make_event, "sommet-2026", boundary - timedelta(days=1))
    on_it = _edition(make_event, "sommet-2026b", boundary)

    def files(event) -> tuple[Job, Job]:
        badges = Job(event_id=event.id, kind="badges.print", status=JobStatus.DONE, finished_at=NOW)
        sheets = Job(event_id=event.id, kind="visits.sheets", status=JobStatus.DONE, finished_at=NOW)
        plan = VisitPlan(event_id=event.id, version=1, status=PlanStatus.PUBLISHED, reference=NOW)
        db.session.add_all([badges, sheets, plan])
        db.session.flush()
        db.session.add_all([PrintRun(event_id=event.id, job_id=badges.id, num_badges=4, pdf=b"%PDF-1.7"),
                            PrintRun(event_id=event.id, job_id=badges.id, num_badges=4, pdf=b"%PDF-1.7"),
                            PrintRun(event_id=event.id, job_id=None, num_badges=1, pdf=b"%PDF-1.7"),  # a reprint
                            SheetPart(event_id=event.id, job_id=sheets.id, plan_id=plan.id, day=event.ends_on,
                                      tours=["v1/0"], num_pages=1, pdf=b"%PDF-1.7")])
        return badges, sheets

    files(past)
    kept_jobs = [job.id for job in files(on_it)]
    db.session.commit()

    dry = purge(now=NOW, config=app.config, kinds=["files"], dry_run=True)[0]
    assert dry.counts == {"badge PDFs": 3, "route sheet PDFs": 1, "jobs": 2}
    [outcome] = purge(now=NOW, config=app.config, kinds=["files"])
    db.session.commit()

    assert outcome.counts == dry.counts
    assert list(db.session.scalars(select(PrintRun.event_id).distinct())) == [on_it.id]
    assert list(db.session.scalars(select(SheetPart.event_id))) == [on_it.id]
    assert list(db.session.scalars(select(Job.id).order_by(Job.id))) == kept_jobs
    assert db.session.scalar(select(func.count()).select_from(VisitPlan)) == 2  # the routes are not files


def test_the_leads_kind_is_the_leads_purge_on_the_same_boundary(app, client, make_event, make_stand, make_device,
                                                                make_badge, monkeypatch):
    monkeypatch.setitem(app.config, "LEADS_RETENTION_DAYS", 365)
    past = _edition(make_event, "sommet-2025", date(2025, 6, 9))  # 2026-06-10 - 365 days = 2025-06-10
    on_it = _edition(make_event, "sommet-2025b", date(2025, 6, 10))
    _scanned(client, make_stand, make_device, make_badge, past, "Capteurs du Morvan", 3)
    _scanned(client, make_stand, make_device, make_badge, on_it, "Loire Mobilités", 2)

    [outcome] = purge(now=NOW, config=app.config, kinds=["leads"])
    db.session.commit()

    assert outcome.counts == {"contacts": 3, "scans": 3}
    assert (_count(Lead, past), _count(Lead, on_it)) == (0, 2)
    # the leads' own audit row per edition, and the pass's row with the counts
    assert [e.details["counts"] for e in _purges()] == [{"contacts": 3, "scans": 3}]
