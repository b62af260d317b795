"""`flask jobs worker` loads the app (wsgi.py, create_app): the features register their huey tasks, not the command."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: What the worker process holds once `flask --app wsgi jobs worker` has loaded the app, in a fresh interpreter.
SCRIPT = """
import json
from datetime import datetime

import wsgi
from app.jobs.queue import huey

print(json.dumps({
    "tasks": sorted(huey._registry._registry),  # huey has no public list of its task names
    "due_at_3_17": sorted(task.name for task in huey.read_periodic(datetime(2027, 1, 1, 3, 17))),
    "due_at_3_40": sorted(task.name for task in huey.read_periodic(datetime(2027, 1, 1, 3, 40))),
    "commands": sorted(wsgi.app.cli.commands),
}))
"""


def test_the_worker_app_registers_the_retention_pass_and_the_mail_tasks(tmp_path):
    env = {**os.environ, "MEDIANE_CONFIG": "testing", "MEDIANE_INSTANCE": str(tmp_path),
           "HUEY_SQLITE_PATH": str(tmp_path / "huey.db")}
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    registered = json.loads(result.stdout)
    assert {"app.jobs.tasks.run_job_task", "app.privacy.retention.tasks.purge_past_retention_daily",
            "app.mail.tasks.deliver_queued_mail", "app.mail.tasks.deliver_queued_mail_every_minute",
            "app.api.webhooks.tasks.deliver_webhooks", "app.api.webhooks.tasks.deliver_webhooks_every_minute",
            "app.api.webhooks.cleanup.purge_webhook_deliveries"} <= set(registered["tasks"])
    assert registered["due_at_3_17"] == ["deliver_queued_mail_every_minute", "deliver_webhooks_every_minute",
                                         "purge_past_retention_daily"]
    assert registered["due_at_3_40"] == ["deliver_queued_mail_every_minute", "deliver_webhooks_every_minute",
                                         "purge_webhook_deliveries"]
    assert "jobs" in registered["commands"]
