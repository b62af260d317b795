"""Write audit rows in the caller's transaction.

An audit row holds no secret and no more personal data than it needs (issue 19): it names its actor and its object
by id, and `details` says what changed with ids, counts, flags and machine codes. `record` refuses details whose keys
name a secret or a contact detail (`token`, `password`, `email`...: keep a hash, `*_sha256`, or an id instead) and
free text a person typed under the keys that usually carry it (`reason`, `note`...: a flag such as
`{"with_reason": True}` or a code such as `"revoked"`). A refusal is a programming error: it raises, and the use
case it belongs to is rolled back with it."""
from __future__ import annotations

import re
from typing import Any

from app.audit.models import AuditEntry
from app.extensions import db

#: A key holding one of these names a secret or a contact detail.
SECRET_PARTS = ("password", "secret", "token", "email", "e_mail", "phone", "cookie", "api_key")
#: ...unless it ends so: an id, or a hash of the secret (or its value is a number or a flag: a count of tokens is no
#: token).
SAFE_SUFFIXES = ("_id", "_ids", "_sha256", "_hash")
#: Keys whose value is usually text a person typed: only a machine code, a flag, a number or nothing there.
FREE_TEXT_KEYS = frozenset({"reason", "message", "note", "notes", "comment", "comments", "text", "filename",
                            "answer", "body", "description"})
_CODE = re.compile(r"[a-z0-9_.:-]{1,60}")


class UnsafeAuditDetails(ValueError):
    """Details an audit row must not hold; the message names the key."""


def unsafe_keys(details: Any, path: str = "") -> list[str]:
    """The keys of `details` (at any depth) that an audit row must not hold, as "key" or "outer.key"."""
    found: list[str] = []
    if isinstance(details, dict):
        for key, value in details.items():
            name = str(key).lower()
            where = f"{path}{key}"
            countable = value is None or isinstance(value, (bool, int, float))
            if any(part in name for part in SECRET_PARTS) and not name.endswith(SAFE_SUFFIXES) and not countable:
                found.append(where)
            elif name in FREE_TEXT_KEYS and not (countable or (isinstance(value, str) and _CODE.fullmatch(value))):
                found.append(where)
            else:
                found += unsafe_keys(value, f"{where}.")
    elif isinstance(details, (list, tuple)):
        for value in details:
            found += unsafe_keys(value, path)
    return found


def record(action: str, *, actor_id: int | None, event_id: int | None = None,
           obj: Any = None, details: dict | None = None) -> AuditEntry:
    refused = unsafe_keys(details or {})
    if refused:
        raise UnsafeAuditDetails(f"{action}: an audit row holds no secret nor typed text: {', '.join(refused)}")
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
