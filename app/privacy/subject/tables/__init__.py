"""The map of every table that holds personal data: how to find a person's rows in it (across all her editions),
what goes into her export, and what her erasure does to them. `tests/privacy/subject/test_map.py` fails when a
table with a person or registration column is missing from it."""
from __future__ import annotations

from collections import defaultdict

from app.privacy.subject.tables import accounts, attendance, meetings
from app.privacy.subject.tables.rules import Erase, Her, Rule

#: This room's own table: her exports (deleted with her; the export of an export lists when she asked).
OWN = (
    Rule("privacy_export", ("person_id",), Erase.DELETE, True, "exports", hidden=("content", "token_hash")),
    Rule("privacy_export", ("requested_by_id",), Erase.UNLINK, False, "exports asked for others",
         why="an organiser's act on another person's export"),
)

RULES: tuple[Rule, ...] = accounts.RULES + attendance.RULES + meetings.RULES + OWN


def rules_by_table() -> dict[str, list[Rule]]:
    by_table: dict[str, list[Rule]] = defaultdict(list)
    for rule in RULES:
        by_table[rule.table].append(rule)
    return dict(by_table)


def covered_columns() -> set[tuple[str, str]]:
    return {(rule.table, column) for rule in RULES for column in rule.columns}


__all__ = ["RULES", "Erase", "Her", "Rule", "covered_columns", "rules_by_table"]
