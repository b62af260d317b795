"""An uploaded attendee file, kept between its preview and the organiser's confirmation."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import enum_column_type
from app.core.timefmt import utcnow
from app.events.models import Event
from app.extensions import db
from app.jobs.models import Job
from app.people.models import Person


class ImportStatus(enum.StrEnum):
    PREVIEWED = "previewed"   # checked, waiting for the organiser's confirmation
    QUEUED = "queued"         # confirmed: the import job is started
    IMPORTED = "imported"     # done; the file's bytes are dropped


class ImportBatch(db.Model):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    #: The uploaded bytes, emptied once imported (they hold personal data).
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[ImportStatus] = mapped_column(enum_column_type(ImportStatus), default=ImportStatus.PREVIEWED)
    #: Counts, sample rows and, once imported, the result.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    job: Mapped[Job | None] = relationship()
    created_by: Mapped[Person | None] = relationship()
