"""How organisers read a job: its kind's name, what it is for, its progress and its result, in their language.

The jobs engine knows no job kind: each feature describes its kinds at start-up (`describe_kind`, called by
its init_app), with functions that turn a job's stored figures into sentences in the reader's language. A
kind nobody described shows as a general "Background job" with its figures as stored.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from app.jobs.models import Job, JobStatus

JOB_STATUS_NAMES = {
    JobStatus.QUEUED: _l("Queued"),
    JobStatus.RUNNING: _l("Running"),
    JobStatus.DONE: _l("Done"),
    JobStatus.FAILED: _l("Failed"),
}

#: Result keys the job pages use themselves (buttons), never listed as figures.
ACTION_KEYS = ("download_url", "continue_url", "continue_label")

_KEY = "mediane.job_kinds"


@dataclass(frozen=True)
class KindLabels:
    """A job kind as organisers read it. Each function gets the job and returns text in the reader's language."""

    name: object  # a lazy string
    #: What the job is for ("Delegation d'Auxerre, A4 four a sheet"); "" when it says nothing more than its name.
    subject: Callable[[Job], str] | None = None
    #: The line beside the progress bar while it runs (and once it is done, if it has something to say).
    progress: Callable[[Job], str] | None = None
    #: The result as (label, value) pairs, in the order shown.
    result: Callable[[Job], list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class JobView:
    name: str
    subject: str
    progress: str
    facts: list[tuple[str, str]] = field(default_factory=list)


def describe_kind(app: Flask, kind: str, labels: KindLabels) -> None:
    """Tell the jobs pages how to name a job kind and read its figures (a feature's init_app calls it)."""
    app.extensions.setdefault(_KEY, {})[kind] = labels


def kind_labels(kind: str) -> KindLabels | None:
    return current_app.extensions.get(_KEY, {}).get(kind)


def job_view(job: Job) -> JobView:
    """The job in the reader's language: its kind's name, what it is for, its progress and its result."""
    labels = kind_labels(job.kind)
    if job.status == JobStatus.QUEUED:
        waiting = str(_l("Not started yet."))
        name = str(labels.name) if labels is not None else str(_l("Background job"))
        subject = labels.subject(job) if labels is not None and labels.subject is not None else ""
        return JobView(name, subject, waiting)
    if labels is None:
        facts = [(str(key), str(value)) for key, value in (job.result or {}).items() if key not in ACTION_KEYS]
        return JobView(str(_l("Background job")), job.kind, job.message, facts)
    progress = labels.progress(job) if labels.progress is not None else job.message
    facts = labels.result(job) if labels.result is not None and job.result else []
    return JobView(str(labels.name), labels.subject(job) if labels.subject is not None else "", progress, facts)
