"""A planning job that does not end by itself keeps the best plan it found (issue 26, R10).

The worker dies as kill -9 would leave things: its job stays running, nothing after its last commit is
stored. Either in this process (a BaseException after the first stored plan, which the job runner does
not catch) or for real (a worker process killed with SIGKILL).
"""
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.demonstrator.plans import bounds, live, planning, results
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.runner import execute_job
from app.jobs.sweep import sweep
from tests.conftest import login
from tests.demonstrator.test_plan_routes import base, body, compute, fresh, page

ROOT = Path(__file__).resolve().parents[2]


class WorkerDied(BaseException):
    """The worker's death: not an Exception, so the job runner neither catches it nor records a status."""


@pytest.fixture
def organiser_client(client, world, make_organiser):
    login(client, make_organiser(world.event))
    return client


@pytest.fixture
def queued_plan(world, monkeypatch):
    """A plan requested with a time limit of 30 s, its job recorded as queued but not run."""
    def record(kind, *, params, event_id, created_by_id, dedupe_key=None):
        job = Job(kind=kind, params=params, event_id=event_id, created_by_id=created_by_id, dedupe_key=dedupe_key)
        db.session.add(job)
        db.session.flush()
        return job
    with monkeypatch.context() as patched:
        patched.setattr(planning, "start_job", record)
        plan = planning.request_plan(world.event, planning.PlanRequest(time_limit=30), actor_id=None)
    assert plan.status == PlanStatus.COMPUTING and plan.job_id is not None
    return plan


def die_after_first_store(monkeypatch, plan):
    """Run the plan's job; its worker dies right after the first best plan is stored (and committed)."""
    store = live.Recorder.improved

    def improved(self, solution):
        store(self, solution)
        if self.saved is not None:
            raise WorkerDied
    monkeypatch.setattr(live.Recorder, "improved", improved)
    with pytest.raises(WorkerDied):
        execute_job(plan.job_id)
    monkeypatch.setattr(live.Recorder, "improved", store)


def later(monkeypatch, seconds: float) -> None:
    """The clock of the pages and services, `seconds` from now."""
    moment = utcnow() + timedelta(seconds=seconds)
    monkeypatch.setattr(live, "utcnow", lambda: moment)


def test_a_worker_killed_after_storing_a_plan_leaves_it_as_an_interrupted_draft(organiser_client, world,
                                                                               queued_plan, monkeypatch):
    die_after_first_store(monkeypatch, queued_plan)
    plan = fresh(queued_plan.id)
    assert plan.status == PlanStatus.COMPUTING and db.session.get(Job, plan.job_id).status == JobStatus.RUNNING
    saved = plan.figures["saved"]
    assert len(plan.visits) == saved["num_visits"] > 0
    # While the worker might still be writing, the plan is computing ...
    assert 'data-testid="plan-progress"' in page(organiser_client, f"{base(world)}/{plan.id}")
    # ... silent for longer than a live one ever is, it is kept: a draft with the visits found, which pass the check.
    later(monkeypatch, live.SILENT_AFTER.total_seconds() + 1)
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    plan = fresh(plan.id)
    assert plan.status == PlanStatus.DRAFT
    assert results.check_plan(plan) == []
    assert plan.figures["status"] == live.INTERRUPTED and plan.figures["num_visits"] == saved["num_visits"]
    assert plan.figures["seconds"] == saved["seconds"] and plan.figures["objective"] > 0
    assert 'data-testid="plan-interrupted"' in html and "Le calcul a été interrompu" in html
    assert "le meilleur plan qu'il avait trouvé jusque-là" in html and "sur 30 s" in html
    assert html.count('data-testid="visit-row"') == saved["num_visits"]
    assert "interrompu" in page(organiser_client, base(world) + "/")
    organiser_client.get("/lang/en")
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    assert "The computation was interrupted" in html and "the best plan it had found by then" in html
    # It is a draft like any other: it can be published, and a new computation can start.
    assert organiser_client.submit(f"{base(world)}/{plan.id}/publish").status_code == 302
    assert fresh(plan.id).status == PlanStatus.PUBLISHED
    assert compute(organiser_client, world).status == PlanStatus.DRAFT


def test_stop_on_a_plan_whose_worker_is_gone_keeps_its_best_plan_at_once(organiser_client, world, queued_plan,
                                                                        monkeypatch):
    die_after_first_store(monkeypatch, queued_plan)
    saved = fresh(queued_plan.id).figures["saved"]
    later(monkeypatch, live.SILENT_AFTER.total_seconds() + 1)
    response = organiser_client.submit(f"{base(world)}/{queued_plan.id}/cancel", follow_redirects=True)
    html = body(response)
    assert "Le calcul ne répondait plus : le meilleur plan qu'il a trouvé est gardé comme brouillon." in html
    assert 'data-testid="plan-interrupted"' in html
    plan = fresh(queued_plan.id)
    assert plan.status == PlanStatus.DRAFT and plan.figures["num_visits"] == saved["num_visits"]
    assert results.check_plan(plan) == []
    # A new planning request is accepted at once.
    new = compute(organiser_client, world)
    assert new.status == PlanStatus.DRAFT and new.id != plan.id


def test_stop_asked_of_a_dead_worker_keeps_the_plan_once_it_stays_silent(organiser_client, world, queued_plan,
                                                                        monkeypatch):
    die_after_first_store(monkeypatch, queued_plan)
    url = f"{base(world)}/{queued_plan.id}"
    # Just after the death the worker may be alive: Stop asks it to stop, as for a live one.
    response = organiser_client.submit(f"{url}/cancel", follow_redirects=True)
    assert "Arrêt demandé" in body(response)
    assert organiser_client.get(f"{url}/progress.json").get_json()["status"] == "computing"
    # A live worker stops within seconds; this one never answers, and its plan is kept.
    later(monkeypatch, live.SILENT_AFTER_STOP.total_seconds() + 1)
    data = organiser_client.get(f"{url}/progress.json").get_json()
    assert data["status"] == "draft" and data["figures"]["status"] == live.INTERRUPTED
    assert results.check_plan(fresh(queued_plan.id)) == []


def test_a_dead_job_does_not_block_a_new_request(organiser_client, world, queued_plan, monkeypatch):
    die_after_first_store(monkeypatch, queued_plan)
    refused = organiser_client.submit(f"{base(world)}/compute", {"time_limit": "2"})
    assert refused.status_code == 409  # still seen as running
    later(monkeypatch, live.SILENT_AFTER.total_seconds() + 1)
    assert compute(organiser_client, world).status == PlanStatus.DRAFT
    assert fresh(queued_plan.id).status == PlanStatus.DRAFT


def test_a_worker_killed_before_it_stored_a_plan_leaves_a_failed_plan(organiser_client, world, queued_plan,
                                                                     monkeypatch):
    def start(self):
        raise WorkerDied
    monkeypatch.setattr(live.Recorder, "start", start)
    with pytest.raises(WorkerDied):
        execute_job(queued_plan.job_id)
    later(monkeypatch, live.SILENT_AFTER.total_seconds() + 1)
    html = page(organiser_client, f"{base(world)}/{queued_plan.id}")
    assert 'data-testid="plan-failed"' in html and "The planning job stopped before it found a plan." in html
    assert fresh(queued_plan.id).status == PlanStatus.FAILED


def test_stop_on_a_job_still_queued_ends_it_and_a_late_worker_leaves_it_alone(organiser_client, world, queued_plan):
    response = organiser_client.submit(f"{base(world)}/{queued_plan.id}/cancel", follow_redirects=True)
    assert "Le calcul est arrêté. Il n'avait pas encore trouvé de plan" in body(response)
    plan = fresh(queued_plan.id)
    assert plan.status == PlanStatus.FAILED and plan.error == "Stopped before the computation started."
    execute_job(plan.job_id)  # the queue delivers it after all
    job = db.session.get(Job, plan.job_id)
    assert job.status == JobStatus.FAILED and "no longer waiting" in job.error
    assert fresh(plan.id).status == PlanStatus.FAILED


def test_a_slow_worker_whose_plan_was_kept_changes_nothing_and_stops(world, queued_plan, monkeypatch):
    # The pages kept the plan while its worker was only slow: the worker's next write finds the plan no longer
    # computing and stores nothing, its search stops, and its job says why; the kept plan stays as it was.
    store = live.Recorder.improved
    kept = []

    def improved(self, solution):
        store(self, solution)
        if not kept:
            kept.extend(sorted((v.visitor_key, v.stand_key, v.start) for v in self.plan.visits))
            with db.engine.begin() as connection:  # another connection, as the web app's
                connection.execute(update(VisitPlan).where(VisitPlan.id == queued_plan.id)
                                   .values(status=PlanStatus.DRAFT))
    monkeypatch.setattr(live.Recorder, "improved", improved)
    execute_job(queued_plan.job_id)
    job = db.session.get(Job, queued_plan.job_id)
    assert job.status == JobStatus.FAILED and "was not stored" in job.error
    plan = fresh(queued_plan.id)
    assert plan.status == PlanStatus.DRAFT and kept
    assert sorted((v.visitor_key, v.stand_key, v.start) for v in plan.visits) == kept


def test_the_job_engines_hook_keeps_the_best_plan_at_once(world, queued_plan, monkeypatch):
    # What the job engine calls when it finds a planning job's worker gone: no waiting for the silence.
    die_after_first_store(monkeypatch, queued_plan)
    with atomic():
        planning.keep_best_plan_of_job(db.session.get(Job, queued_plan.job_id))
    plan = fresh(queued_plan.id)
    assert plan.status == PlanStatus.DRAFT and plan.figures["status"] == live.INTERRUPTED
    assert results.check_plan(plan) == [] and plan.figures["num_visits"] > 0


def test_a_worker_dying_while_the_bound_is_tightened_leaves_a_done_job_and_the_whole_plan(world, queued_plan,
                                                                                           monkeypatch):
    # The plan is stored whole before its bound is refined: a worker that dies then loses only that figure.
    def die(plan_id):
        raise WorkerDied
    monkeypatch.setattr(bounds, "refine", die)
    with pytest.raises(WorkerDied):
        execute_job(queued_plan.job_id)
    db.session.rollback()
    db.session.execute(update(Job).where(Job.id == queued_plan.job_id)
                       .values(lease_expires_at=utcnow() - timedelta(seconds=5)))
    db.session.commit()
    swept = sweep(resend=False)
    job = db.session.get(Job, queued_plan.job_id, populate_existing=True)
    plan = fresh(queued_plan.id)
    assert swept.finished == [job.id] and job.status == JobStatus.DONE and not job.error
    assert "borne" in job.message and job.result["objective"] == plan.figures["objective"]
    assert plan.status == PlanStatus.DRAFT and plan.figures["status"] != live.INTERRUPTED
    assert results.check_plan(plan) == [] and plan.figures["num_visits"] > 0


# -- a real worker, killed ---------------------------------------------------------------------------

WORKER = """
import functools, os, sys
import routing
from app import create_app
from app.jobs.runner import execute_job
from app.jobs.sweep import sweep

# No bound on this small hall: the search runs its whole time limit instead of proving its plan optimal.
routing.solve = functools.partial(routing.solve, compute_bound=False)
app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": os.environ["WORKER_DATABASE_URI"]})
with app.app_context():
    execute_job(int(sys.argv[1]))
"""


def test_a_worker_process_killed_mid_computation_leaves_its_best_plan(app, organiser_client, world, queued_plan,
                                                                     monkeypatch, tmp_path):
    env = {**os.environ, "MEDIANE_INSTANCE": str(tmp_path), "HUEY_SQLITE_PATH": str(tmp_path / "huey.db"),
           "WORKER_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    env.pop("REDIS_URL", None)
    with open(tmp_path / "worker.log", "wb") as log:
        worker = subprocess.Popen([sys.executable, "-c", WORKER, str(queued_plan.job_id)], cwd=ROOT, env=env,
                                  stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            db.session.rollback()
            if (db.session.get(VisitPlan, queued_plan.id, populate_existing=True).figures or {}).get("saved"):
                break
            time.sleep(0.1)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    assert worker.returncode == -signal.SIGKILL
    plan = fresh(queued_plan.id)
    assert plan.status == PlanStatus.COMPUTING and db.session.get(Job, plan.job_id).status == JobStatus.RUNNING
    saved = plan.figures["saved"]
    later(monkeypatch, live.SILENT_AFTER.total_seconds() + 1)
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    plan = fresh(plan.id)
    assert plan.status == PlanStatus.DRAFT and plan.figures["status"] == live.INTERRUPTED
    assert plan.figures["num_visits"] == saved["num_visits"] > 0  # the last plan stored before the kill
    assert results.check_plan(plan) == []
    assert "Le calcul a été interrompu" in html
