"""Column helpers shared by every feature's models."""
from __future__ import annotations

import enum

from sqlalchemy import Enum as SAEnum


def enum_column_type(enum_cls: type[enum.Enum]) -> SAEnum:
    """Store an enum by its value as a plain string (portable across SQLite and PostgreSQL)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=max(len(m.value) for m in enum_cls) + 8,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )
