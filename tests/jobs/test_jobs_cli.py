"""`flask jobs list [--stuck]`, `fail ID [--reason]`, `retry ID`: audited, clear about bad ids (R9, R10)."""
from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.core.timefmt import utcnow
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import job_handler

RUNS: list[int] = []


@job_handler("test_cli_job")
def cli_job(job, report):
    RUNS.append(job.id)
    return {"ok": True}


def a_job(status, **fields) -> int:
    job = Job(kind="test_cli_job", params={}, status=status, **fields)
    db.session.add(job)
    db.session.commit()
    return job.id


def run(app, *args):
    return app.test_cli_runner().invoke(args=["jobs", *args])


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_list_shows_the_stuck_jobs_only_when_asked(app):
    dead = a_job(JobStatus.RUNNING, attempts=1, worker="host:42", lease_expires_at=utcnow() - timedelta(seconds=5))
    a_job(JobStatus.RUNNING, attempts=1, worker="host:43", lease_expires_at=utcnow() + timedelta(seconds=30))
    unsent = a_job(JobStatus.QUEUED)
    a_job(JobStatus.QUEUED, sent_at=utcnow())
    a_job(JobStatus.DONE)
    everything = run(app, "list")
    assert everything.exit_code == 0 and len([line for line in everything.output.splitlines() if "test_cli_job" in line]) == 5
    stuck = run(app, "list", "--stuck")
    listed = [int(line.split()[0]) for line in stuck.output.splitlines() if "test_cli_job" in line]
    assert stuck.exit_code == 0 and listed == [dead, unsent]
    assert "host:42" in stuck.output and "never sent" in stuck.output


def test_fail_ends_a_job_and_is_audited(app):
    job_id = a_job(JobStatus.RUNNING, attempts=1, lease_expires_at=utcnow() + timedelta(seconds=30))
    result = run(app, "fail", str(job_id), "--reason", "Imprimante en panne : relancez demain.")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.FAILED and job.error == "Imprimante en panne : relancez demain."
    assert audit_actions() == ["job.fail"]


def test_retry_queues_a_failed_job_again_and_is_audited(app):
    RUNS.clear()
    job_id = a_job(JobStatus.FAILED, attempts=1, error="stopped")
    result = run(app, "retry", str(job_id))
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert RUNS == [job_id] and job.status == JobStatus.DONE and job.attempts == 2 and job.error == ""
    assert audit_actions() == ["job.retry"]


def test_bad_ids_get_a_message_and_change_nothing(app):
    done = a_job(JobStatus.DONE)
    queued = a_job(JobStatus.QUEUED)
    cases = [(("fail", "999"), "there is no job 999"), (("retry", "999"), "there is no job 999"),
             (("fail", str(done)), "already finished"), (("retry", str(queued)), "has not failed"),
             (("fail", "abc"), "is not a valid integer"), (("fail", str(queued), "--reason", "  "), "give a reason")]
    for args, message in cases:
        result = run(app, *args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    db.session.expire_all()
    assert [j.status for j in db.session.scalars(select(Job).order_by(Job.id))] == [JobStatus.DONE, JobStatus.QUEUED]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
