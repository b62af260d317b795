"""A planning job's worker dies half way: Stop on the plan keeps the best plan it had stored, and the page says
the computation was interrupted (issue 26)."""
import threading
import time

import pytest
from playwright.sync_api import Browser, expect

from app.demonstrator.plans import live, results
from app.demonstrator.plans.models import PlanStatus
from app.extensions import db
from app.jobs import services as job_services
from app.jobs.models import Job, JobStatus
from app.jobs.runner import execute_job
from tests.demonstrator.conftest import world  # noqa: F401  (the small demonstrator)
from tests.e2e.test_plans_flow import current_plan, log_in


class WorkerDied(BaseException):
    """kill -9, as the database sees it: nothing after the last commit, the job left running."""


@pytest.fixture
def dying_worker(app, monkeypatch):
    """Jobs run on a thread that dies right after the first best plan is stored."""
    threads = []
    store = live.Recorder.improved

    def improved(self, solution):
        store(self, solution)
        raise WorkerDied

    def run_later(job_id):
        def run():
            time.sleep(1.0)
            with app.app_context():
                try:
                    execute_job(job_id)
                except WorkerDied:
                    pass
                db.session.remove()
        thread = threading.Thread(target=run, daemon=True)
        threads.append(thread)
        thread.start()
    monkeypatch.setattr(live.Recorder, "improved", improved)
    monkeypatch.setattr(job_services, "run_job_task", run_later)
    yield threads
    for thread in threads:
        thread.join(60)


def test_stop_on_a_computation_whose_worker_died_keeps_its_best_plan(browser: Browser, live_server, world,  # noqa: F811
                                                                    make_organiser, dying_worker, shoot):
    event = world.event
    organiser = make_organiser(event)
    base = f"{live_server}/manage/e/{event.slug}/demonstrator/plans"
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, organiser.email)
    page.goto(f"{base}/")
    page.get_by_label("Durée maximale (secondes)").fill("60")
    page.get_by_test_id("compute").click()
    expect(page.get_by_test_id("plan-progress")).to_be_visible()
    for thread in dying_worker:
        thread.join(60)
    plan = current_plan(event)
    assert plan.status == PlanStatus.COMPUTING and plan.figures.get("saved")
    assert db.session.get(Job, plan.job_id).status == JobStatus.RUNNING
    # Stop: the worker might only be slow, so it is asked to stop; it never answers, and once it has been
    # silent for a while the page (which follows the plan) shows the best plan it had stored.
    page.get_by_test_id("cancel").click()
    expect(page.locator(".flash-success")).to_contain_text("Arrêt demandé")
    expect(page.get_by_test_id("plan-interrupted")).to_be_visible(
        timeout=int(live.SILENT_AFTER_STOP.total_seconds() + 20) * 1000)
    expect(page.get_by_test_id("plan-interrupted")).to_contain_text("Le calcul a été interrompu")
    expect(page.get_by_test_id("plan-status")).to_have_text("Brouillon")
    plan = current_plan(event)
    assert plan.status == PlanStatus.DRAFT and results.check_plan(plan) == []
    expect(page.get_by_test_id("visit-row")).to_have_count(plan.figures["num_visits"])
    shoot(page, "plans-interrupted-fr")
    context.close()
