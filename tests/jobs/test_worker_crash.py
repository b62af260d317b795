"""kill -9 a real worker (`flask jobs worker` in a process of its own) in the middle of a bulk badge print and of
a 30 s planning job, on the SQLite queue and on Redis (R10): within a minute neither
job is running, a new plan is accepted, and the print is finished without printing a badge twice."""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.badging import jobs as print_jobs
from app.badging import services as badging
from app.badging.models import BadgeToken
from app.demonstrator.plans import planning, results
from app.demonstrator.plans.models import PlanStatus, VisitPlan
from app.events.models import CategoryCode
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.queue import huey, make_huey
from app.jobs.services import start_job
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from tests.conftest import login
from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from tests.demonstrator.conftest import confirm, utc, world  # noqa: F401  (world: a small demonstrator to plan)

ROOT = Path(__file__).resolve().parents[2]
NUM_BADGES = 1200
#: Short leases, so that the test takes seconds: the worker renews every second, a lease lasts 3.
TIMINGS = {"JOBS_LEASE_SECONDS": "3", "JOBS_HEARTBEAT_SECONDS": "1", "JOBS_SWEEP_SECONDS": "1",
           "BADGE_PRINT_PART": "20"}
#: The Redis the tests use (scripts/test.sh makes sure one answers); a database of their own.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
QUEUES = ["sqlite", "redis"]


class Workers:
    """`flask jobs worker` processes on one queue, started and killed by the test."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.procs = env, log_dir, []

    def start(self) -> subprocess.Popen:
        with open(self.log_dir / f"worker-{len(self.procs)}.log", "w") as log:
            proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--workers",
                                     "2"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def log(self, index: int) -> str:
        return (self.log_dir / f"worker-{index}.log").read_text()

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)


@pytest.fixture(params=QUEUES)
def workers(request, app, tmp_path, monkeypatch):
    name = f"mediane-test-{uuid.uuid4().hex[:8]}"  # never another run's or engineer's messages
    redis_url = TEST_REDIS_URL if request.param == "redis" else ""
    env = {**os.environ, "MEDIANE_CONFIG": "testing", "MEDIANE_INSTANCE": str(tmp_path), "HUEY_NAME": name,
           "HUEY_SQLITE_PATH": str(tmp_path / "huey.db"), "REDIS_URL": redis_url,
           "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], **TIMINGS}
    if not redis_url:
        env.pop("REDIS_URL")
    saved = huey.storage, huey.immediate
    huey.immediate = False
    huey.storage = make_huey(name, redis_url=redis_url, sqlite_path=str(tmp_path / "huey.db")).storage
    for key, value in TIMINGS.items():
        monkeypatch.setitem(app.config, key, float(value) if "." in value or key.startswith("JOBS") else int(value))
    procs = Workers(env, tmp_path)
    yield procs
    procs.stop_all()
    huey.storage.flush_all()
    huey.storage = saved[0]
    huey.immediate = saved[1]


def more_to_plan(world, make_registration) -> None:
    """Twelve stands and forty officials: the optimiser uses its whole time limit (it cannot prove a plan best)."""
    event, day = world.event, world.event.starts_on
    themes = ["mobilite", "energie", "donnees-numerique", "sante"]
    for i in range(8):
        startup = confirm(make_registration(event, CategoryCode.STARTUP, theme_codes=[themes[i % 4]],
                                                organisation_name=f"Jeune pousse {i + 5}"))
        stand = hall_services.save_stand(event, hall_services.StandInput(f"B{i + 1}", x=5 + 6 * i, y=24),
                                         actor_id=None)
        hall_calendar.book_stand(event, stand, startup, utc(day, "08:00"), utc(day, "18:00"), actor_id=None)
    for i in range(40):
        confirm(make_registration(event, CategoryCode.ELU, theme_codes=[themes[i % 4], themes[(i + 1) % 4]],
                                      days=[day]))
    db.session.commit()


def many_attendees(event, count: int) -> list[int]:
    visitor = event.category(CategoryCode.VISITEUR.value)
    people = [Person(email=f"badge{i}@example.org", first_name="Lou", last_name=f"Bernard{i:04d}") for i in range(count)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all([Registration(event_id=event.id, person_id=p.id, category_id=visitor.id, days=[],
                                     status=RegistrationStatus.CONFIRMED) for p in people])
    db.session.commit()
    return [p.id for p in people]


def wait_for(condition, timeout: float, what: str, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        value = condition()
        db.session.commit()
        if value:
            return value
        time.sleep(step)
    jobs = [(j.id, j.kind, j.status.value, j.message, j.error[:200]) for j in db.session.scalars(select(Job))]
    raise AssertionError(f"timed out waiting for {what}: {jobs}")


def job(job_id) -> Job:
    return db.session.get(Job, job_id)


def test_a_killed_worker_leaves_no_job_running_and_the_print_is_finished(client, world, workers,  # noqa: F811
                                                                         make_organiser, make_registration):
    event = world.event
    more_to_plan(world, make_registration)
    organiser = make_organiser(event)
    many_attendees(event, NUM_BADGES)
    first = workers.start()
    wait_for(lambda: "Job worker:" in workers.log(0), 60, "the worker to start", step=0.2)
    plan = planning.request_plan(event, planning.PlanRequest(time_limit=30), actor_id=organiser.id)
    plan_job = plan.job_id
    total = len(badging.selected(event, badging.Selection()))
    print_job = start_job("print_badges", params={"selection": badging.Selection().as_dict(),
                                                             "sheet": "a6"},
                                     event_id=event.id, created_by_id=organiser.id).id
    # Both under way: the print half-stored (its first parts committed, most of it still to draw) and the
    # computation's first plan stored as it goes.
    def stored_plan() -> bool:
        db.session.expire_all()
        return bool((db.session.get(VisitPlan, plan.id).figures or {}).get("saved"))
    wait_for(lambda: (job(plan_job).status == JobStatus.RUNNING and print_jobs.runs_of(print_job) and stored_plan())
             or job(plan_job).is_finished or job(print_job).is_finished, 60, "both jobs to run")
    os.kill(first.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    first.wait(10)
    assert job(print_job).status == JobStatus.RUNNING and job(plan_job).status == JobStatus.RUNNING

    workers.start()  # the supervisor starts a new worker
    wait_for(lambda: job(print_job).is_finished and job(plan_job).is_finished, 60, "both jobs to end")
    elapsed = time.monotonic() - killed_at
    print(f"\n[{huey.storage.__class__.__name__}] kill -9 to both jobs ended: {elapsed:.1f} s")
    assert elapsed < 60
    stopped = job(print_job)
    done = stopped.result["badges"]
    assert stopped.status == JobStatus.FAILED and 0 < done < total and stopped.result["rest"] == total - done
    grouped = {n: f"{n:,}".replace(",", "\u202f") for n in (done, total)}  # counts read the French way
    assert f"{grouped[done]} badges sur {grouped[total]}" in stopped.error
    assert job(plan_job).status == JobStatus.FAILED and "gardé comme brouillon" in job(plan_job).error
    kept = db.session.get(VisitPlan, plan.id)  # the best plan found before the crash, kept as a draft
    assert kept.status == PlanStatus.DRAFT and kept.figures["status"] == "interrupted" and kept.visits
    assert not results.check_plan(kept)

    login(client, organiser)
    response = client.submit(f"/manage/e/{event.slug}/demonstrator/plans/compute", {"time_limit": "1"})
    assert response.status_code == 302  # a new plan is accepted: the dead one blocks nothing
    new_plan = db.session.scalar(select(VisitPlan).order_by(VisitPlan.id.desc()))
    assert new_plan.id != plan.id

    response = client.submit(stopped.result["continue_url"])
    assert response.status_code == 302
    rest = db.session.scalar(select(Job.id).where(Job.kind == "print_badges", Job.id != print_job))
    wait_for(lambda: job(rest).is_finished, 120, "the rest to be printed", step=0.2)
    assert job(rest).status == JobStatus.DONE and job(rest).result["badges"] == total - done
    first_ids, rest_ids = print_jobs.printed_by(print_job), print_jobs.printed_by(rest)
    assert not first_ids & rest_ids and len(first_ids | rest_ids) == total
    assert db.session.scalar(select(func.count()).select_from(BadgeToken)) == len(first_ids | rest_ids)
    wait_for(lambda: db.session.get(VisitPlan, new_plan.id).status != PlanStatus.COMPUTING, 60, "the new plan",
             step=0.2)
