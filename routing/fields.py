"""Reading the fields of a JSON document: each helper names the entry at fault when it refuses."""

from __future__ import annotations

import json
import math
from typing import Any


class InvalidDocument(ValueError):
    """A problem or solution document that breaks the contract."""



def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _num(x: Any, where: str, *, minimum: float | None = None, strict: bool = False) -> float:
    if not _is_number(x):
        raise InvalidDocument(f"{where}: expected a finite number, got {json.dumps(x)[:60]}")
    if minimum is not None:
        if strict and not x > minimum:
            raise InvalidDocument(f"{where}: must be > {minimum:g}, got {x!r}")
        if not strict and not x >= minimum:
            raise InvalidDocument(f"{where}: must be >= {minimum:g}, got {x!r}")
    return float(x)


def _int(x: Any, where: str, *, minimum: int = 0, nullable: bool = False) -> int | None:
    if x is None and nullable:
        return None
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    if not isinstance(x, int) or isinstance(x, bool):
        raise InvalidDocument(f"{where}: expected an integer{' or null' if nullable else ''}, got {json.dumps(x)[:60]}")
    if x < minimum:
        raise InvalidDocument(f"{where}: must be >= {minimum}, got {x}")
    return x


def _str(x: Any, where: str) -> str:
    if not isinstance(x, str) or not x:
        raise InvalidDocument(f"{where}: expected a non-empty string, got {json.dumps(x)[:60]}")
    return x


def _obj(x: Any, where: str) -> dict:
    if not isinstance(x, dict):
        raise InvalidDocument(f"{where}: expected an object, got {type(x).__name__}")
    return x


def _list(x: Any, where: str) -> list:
    if not isinstance(x, list):
        raise InvalidDocument(f"{where}: expected a list, got {type(x).__name__}")
    return x


def _label(where: str, entry: Any) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return f"{where} (id {entry['id']!r})"
    return where


def _unknown_keys(entry: dict, allowed: set[str], where: str) -> None:
    extra = sorted(set(entry) - allowed)
    if extra:
        raise InvalidDocument(f"{where}: unknown field {extra[0]!r}")
