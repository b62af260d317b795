"""One pass over every kind of personal data: what is past its retention boundary is erased, and each kind that
erased something writes one audit row with counts only (`retention.purge`). The daily task and
`flask data purge` both run it; a dry run counts and changes nothing."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from app.audit import services as audit
from app.core.transaction import atomic
from app.privacy.retention import dated, editions
from app.privacy.retention.people import PEOPLE


class Kind(Protocol):
    unit: str

    def boundary(self, now: datetime, period: int) -> date | datetime: ...

    def find(self, now: datetime, period: int) -> dict[str, int]: ...

    def erase(self, now: datetime, period: int) -> dict[str, int]: ...


@dataclass(frozen=True)
class Setting:
    kind: Kind
    #: The configuration key (config.py) holding the period.
    key: str
    #: What the kind is, for `flask data purge --help` and its output.
    what: str


#: Every kind, in the order a pass runs them (the people last: their erasure sees what the others left).
KINDS: dict[str, Setting] = {
    "leads": Setting(editions.LEADS, "LEADS_RETENTION_DAYS", "the stands' contacts and scans, after the edition"),
    "checkins": Setting(editions.CHECKINS, "RETENTION_CHECKINS_DAYS",
                        "door check-ins' details (time, volunteer, door), after the edition"),
    "files": Setting(editions.FILES, "RETENTION_FILES_DAYS",
                     "badge PDFs and route sheets, with their jobs, after the edition"),
    "imports": Setting(dated.IMPORTS, "RETENTION_IMPORTS_DAYS", "attendee imports and their files"),
    "jobs": Setting(dated.JOBS, "RETENTION_JOBS_DAYS", "finished background jobs"),
    "outbox": Setting(dated.OUTBOX, "RETENTION_OUTBOX_DAYS", "mails in the outbox"),
    "exports": Setting(dated.EXPORTS, "RETENTION_EXPORTS_DAYS", "a person's data exports, after their link expired"),
    "login-failures": Setting(dated.LOGIN_FAILURES, "RETENTION_LOGIN_FAILURES_DAYS", "failed logins"),
    "audit": Setting(dated.AUDIT, "RETENTION_AUDIT_DAYS", "audit rows"),
    "people": Setting(PEOPLE, "RETENTION_PEOPLE_YEARS", "people not seen in any edition"),
}


class RetentionError(ValueError):
    """A pass that cannot start (an unknown kind, a negative period): nothing is erased."""


@dataclass(frozen=True)
class Outcome:
    kind: str
    period: int
    unit: str
    boundary: date | datetime
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def periods(config: Mapping, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Kind name -> its configured period, for `kinds` (all when None), checked before anything is erased."""
    names = list(KINDS) if kinds is None else list(dict.fromkeys(kinds))
    unknown = [name for name in names if name not in KINDS]
    if unknown:
        raise RetentionError(f"unknown kind {unknown[0]!r}: the kinds are {', '.join(KINDS)}")
    found = {}
    for name in names:
        value = config[KINDS[name].key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RetentionError(f"{KINDS[name].key} must be a whole number of "
                                 f"{KINDS[name].kind.unit}, 0 or more (it is {value!r})")
        found[name] = value
    return found


def purge(*, now: datetime, config: Mapping, kinds: Iterable[str] | None = None,
          dry_run: bool = False) -> list[Outcome]:
    """Erase what is past its boundary for `kinds` (every kind when None), one unit of work per kind with its
    audit row; with `dry_run`, only count. Raises RetentionError before erasing anything on a bad kind or period."""
    outcomes = []
    for name, period in periods(config, kinds).items():
        kind = KINDS[name].kind
        boundary = kind.boundary(now, period)
        if dry_run:
            outcomes.append(Outcome(name, period, kind.unit, boundary, kind.find(now, period)))
            continue
        with atomic():
            counts = kind.erase(now, period)
            if any(counts.values()):
                audit.record("retention.purge", actor_id=None,
                             details={"kind": name, "counts": counts, "kept": f"{period} {kind.unit}",
                                      "before": boundary.isoformat()})
        outcomes.append(Outcome(name, period, kind.unit, boundary, counts))
    return outcomes
