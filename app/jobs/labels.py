from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.jobs.models import JobStatus

JOB_STATUS_NAMES = {
    JobStatus.QUEUED: _l("Queued"),
    JobStatus.RUNNING: _l("Running"),
    JobStatus.DONE: _l("Done"),
    JobStatus.FAILED: _l("Failed"),
}

#: Job kinds as organisers read them; features add theirs.
JOB_KIND_NAMES: dict[str, object] = {
    "import_attendees": _l("Attendee import"),
    "print_badges": _l("Badge printing"),
}
