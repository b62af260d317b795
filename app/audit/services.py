"""Write audit rows in the caller's transaction."""
from __future__ import annotations

from typing import Any

from app.audit.models import AuditEntry
from app.extensions import db


def record(action: str, *, actor_id: int | None, event_id: int | None = None,
           obj: Any = None, details: dict | None = None) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        actor_id=actor_id,
        event_id=event_id,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(getattr(obj, "id", "") or "") if obj is not None else "",
        details=details or {},
    )
    db.session.add(entry)
    return entry
