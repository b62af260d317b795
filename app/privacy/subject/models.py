"""A person's data export: the ZIP a job built, downloadable once through a link that expires."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timefmt import utcnow
from app.extensions import db


class DataExport(db.Model):
    __tablename__ = "privacy_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose data: her account.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: Who asked: herself, or an organiser on her behalf (who then downloads it from the back office).
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    #: The edition whose organiser asked (None when she asked herself).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), nullable=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"), nullable=True)
    #: SHA-256 of the secret of the mailed link; the secret itself is never stored.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    #: The ZIP once built; emptied at the download.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
