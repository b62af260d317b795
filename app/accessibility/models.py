"""What people report about the site's accessibility, kept for the organisers (and to bound how often)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timefmt import utcnow
from app.extensions import db


class AccessibilityReport(db.Model):
    __tablename__ = "accessibility_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The edition whose organisers were told (the newest open one); None when it was deleted or none was open.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254))
    page: Mapped[str] = mapped_column(String(500))
    message: Mapped[str] = mapped_column(Text)
    #: The language the person wrote in (and is answered in).
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    #: A hash of the sender's network address, to bound how many reports one address sends; never the address.
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
