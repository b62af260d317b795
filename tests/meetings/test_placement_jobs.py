""""Place all meetings" as a job (done, failed, its worker dead) and `flask meetings place` (its line, its refusals,
routes that routing.check accepts)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.timefmt import utcnow
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.demonstrator.plans.results import check_plan
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.sweep import sweep
from app.meetings.errors import Conflict, MeetingError
from app.meetings.placement import jobs, placing
from app.meetings.placement.availability import routes_plan
from app.meetings.placement.models import MeetingPlacement, PlacementRun
from tests.meetings.placement_world import build


@pytest.fixture
def pw(event, make_registration):
    return build(event, make_registration)


def test_the_job_places_the_meetings_and_ends_done(pw):
    job = jobs.start_placement(pw.event, time_limit=2, actor_id=None)  # the tests' queue runs it at once
    job = db.session.get(Job, job.id, populate_existing=True)
    assert job.status is JobStatus.DONE, job.error
    assert job.result["placed"] == 6 and job.result["total"] == 7 and job.progress == 1.0
    assert db.session.get(PlacementRun, pw.event.id).job_id == job.id
    assert db.session.scalar(select(func.count()).select_from(MeetingPlacement)) == 7


def test_a_failing_placement_ends_failed_and_stores_nothing(pw, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(placing, "place_all", broken)
    job = jobs.start_placement(pw.event, time_limit=2, actor_id=None)
    job = db.session.get(Job, job.id, populate_existing=True)
    assert job.status is JobStatus.FAILED and "Unexpected error" in job.error
    assert db.session.scalar(select(func.count()).select_from(MeetingPlacement)) == 0


def test_a_placement_refused_for_a_reason_ends_failed_saying_it(pw, monkeypatch):
    def refused(*args, **kwargs):
        raise MeetingError("routes_refused", detail="two locked visits overlap")
    monkeypatch.setattr(placing, "place_all", refused)
    job = jobs.start_placement(pw.event, time_limit=2, actor_id=None)
    job = db.session.get(Job, job.id, populate_existing=True)
    assert job.status is JobStatus.FAILED and "two locked visits overlap" in job.error
    assert "Unexpected error" not in job.error


def test_a_job_whose_worker_died_ends_failed_and_settles_the_routes_it_was_computing(pw):
    job = Job(kind=jobs.JOB_KIND, event_id=pw.event.id, status=JobStatus.RUNNING, params={"time_limit": 2},
              started_at=utcnow() - timedelta(minutes=2), lease_expires_at=utcnow() - timedelta(seconds=5),
              sent_at=utcnow() - timedelta(minutes=2))
    db.session.add(job)
    db.session.flush()
    computing = VisitPlan(event_id=pw.event.id, version=1, status=PlanStatus.COMPUTING, reference=utcnow(),
                          problem={}, figures={}, job_id=job.id)
    db.session.add(computing)
    db.session.commit()
    with pytest.raises(Conflict):  # one placement at a time
        jobs.start_placement(pw.event, time_limit=2, actor_id=None)
    db.session.rollback()
    swept = sweep(resend=False)
    job = db.session.get(Job, job.id, populate_existing=True)
    assert job.id in swept.failed and job.status is JobStatus.FAILED
    assert "Place them again" in job.error or "Placez-les de nouveau" in job.error
    assert db.session.get(VisitPlan, computing.id, populate_existing=True).status is PlanStatus.FAILED
    # The next one is not blocked.
    assert jobs.start_placement(pw.event, time_limit=2, actor_id=None).status is JobStatus.DONE


def test_a_bad_time_limit_is_refused_and_starts_nothing(pw):
    with pytest.raises(MeetingError) as refused:
        jobs.start_placement(pw.event, time_limit=0, actor_id=None)
    assert refused.value.code == "bad_time_limit"
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_the_command_places_prints_its_line_and_leaves_feasible_routes(app, pw):
    result = app.test_cli_runner().invoke(args=["meetings", "place", "--event", pw.event.slug, "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "placed 6 of 7"
    assert "1 have no common free slot" in result.output
    assert "feasible by routing.check" in result.output
    assert check_plan(routes_plan(pw.event)) == []


@pytest.mark.parametrize("args, says", [
    (["--event", "nope"], "nope"),
    (["--time-limit", "0"], "--time-limit"),
    (["--time-limit", "many"], "--time-limit"),
    (["--time-limit", "601"], "--time-limit"),
])
def test_the_command_refuses_bad_arguments_with_exit_2(app, pw, args, says):
    args = ["meetings", "place", *(["--event", pw.event.slug] if "--event" not in args else []), *args]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2 and says in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(MeetingPlacement)) == 0
