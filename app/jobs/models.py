"""Background job records: what organisers follow on the jobs page (R8)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.extensions import db
from app.people.models import Person


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(60))
    status: Mapped[JobStatus] = mapped_column(enum_column_type(JobStatus), default=JobStatus.QUEUED, index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    #: Set by an organiser; long handlers check it between steps and stop.
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Same key, same job: a retried request does not start a second one.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: When its message was last handed to the queue; a queued job without one is sent again by the sweep.
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: While running: the worker holding the job renews this lease; once it runs out, the worker is gone.
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    #: How many times a worker took the job; it also fences a worker that lost its lease out of the row.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The worker process holding (or that last held) the job: host and process id, for the operator.
    worker: Mapped[str] = mapped_column(String(120), default="", server_default="")

    created_by: Mapped[Person | None] = relationship()

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
