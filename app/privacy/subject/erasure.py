"""A person's erasure: her personal fields erased everywhere, her badges and feeds revoked, her account closed,
and what the edition's figures need kept, anonymised (the map in `tables` says what happens to each table).

`erase_person` is also what retention calls for people not seen in any edition for years: keep its signature.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime

from sqlalchemy import and_, func, select

from app.audit import services as audit
from app.core.transaction import atomic
from app.extensions import db
from app.people.models import Person
from app.privacy.subject.people import SubjectError, check_erasable, editions_of, subject
from app.privacy.subject.tables import RULES, Erase, Her, Rule
from app.privacy.subject.tables.mentions import (
    erase_files, files_naming_her, find_mentions, printed_artefacts, scrub_mentions,
)

#: The order erasure applies the rules: rows deleted first, then links cut, then fields blanked (her account last).
ORDER = {Erase.DELETE: 0, Erase.UNLINK: 1, Erase.ANONYMISE: 2, Erase.KEEP: 3}


def _rows(rule: Rule, her: Her):
    table = db.metadata.tables[rule.table]
    where = rule.where(table, her)
    if rule.only is not None and rule.erase == Erase.ANONYMISE:
        where = and_(where, rule.only(table))
    return table, where


def _count(rule: Rule, her: Her) -> int:
    table, where = _rows(rule, her)
    return db.session.scalar(select(func.count()).select_from(table).where(where)) or 0


def preview_erasure(person_id: int, *, now: datetime | None = None) -> dict[str, int]:
    """What `erase_person` would do, counted per kind, changing nothing (SubjectError 'unknown_person')."""
    her = subject(person_id, now)
    counts: Counter[str] = Counter()
    for rule in RULES:
        counts[rule.kind] += _count(rule, her)
    counts["mentions scrubbed"] = len({(m.table, m.row_id) for m in find_mentions(her)})
    counts["imported files emptied"] = len(files_naming_her(her))
    artefacts = printed_artefacts(her)
    counts["badge prints deleted"] = len(artefacts["print_run"])
    counts["route sheets deleted"] = len(artefacts["sheet_part"])
    return {kind: n for kind, n in sorted(counts.items()) if n}


def erase_person(person_id: int, *, actor_id: int | None, reason: str, now: datetime | None = None,
                 event_id: int | None = None) -> dict[str, int]:
    """Erase the person `person_id` everywhere, in one unit of work; the counts per kind of what was done.

    Refused (SubjectError, nothing changed): unknown_person, already_erased, staff, sole_organiser. One audit row
    `privacy.erase` records the counts and `reason` (no name); it belongs to `event_id` when an organiser acted from
    an edition, else to her latest edition."""
    with atomic():
        her = subject(person_id, now)
        person = db.session.get(Person, person_id)
        check_erasable(person, her.now.date())
        editions = [event.id for event in editions_of(person_id)]
        counts: Counter[str] = Counter()
        counts.update(erase_files(her))
        counts["mentions scrubbed"] = scrub_mentions(her)
        db.session.flush()
        for rule in sorted(RULES, key=lambda r: (ORDER[r.erase], r.table == "person")):
            counts[rule.kind] += _apply(rule, her)
        db.session.expire_all()
        result = {kind: n for kind, n in sorted(counts.items()) if n}
        audit.record("privacy.erase", actor_id=actor_id, event_id=event_id or (editions[0] if editions else None),
                     obj=db.session.get(Person, person_id),
                     details={"reason": reason, "counts": result, "editions": editions})
    return result


def _apply(rule: Rule, her: Her) -> int:
    table, where = _rows(rule, her)
    if rule.erase == Erase.KEEP:
        return _count(rule, her)
    if rule.erase == Erase.DELETE:
        return db.session.execute(table.delete().where(where)).rowcount or 0
    values = rule.values(her)
    if rule.erase == Erase.UNLINK:  # each column on its own: a row may name her in one and someone else in another
        done = 0
        for column in rule.columns:
            one = replace(rule, columns=(column,))
            done += db.session.execute(table.update().where(one.where(table, her))
                                       .values({column: None})).rowcount or 0
        return done
    return db.session.execute(table.update().where(where).values(values)).rowcount or 0


__all__ = ["SubjectError", "erase_person", "preview_erasure"]
