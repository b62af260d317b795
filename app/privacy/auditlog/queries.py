"""Reading the audit table: an edition's rows (or the platform's, those of no edition), filtered by person, kind of
action and days, a page at a time, each row told in words: who, what, which object, when, from which device or
token."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, String, and_, cast, func, or_, select

from app.api.models import ApiToken
from app.audit.models import AuditEntry
from app.core.search import every_word_in
from app.core.timefmt import local_to_utc, to_local
from app.events.models import Event
from app.extensions import db
from app.leads.models import Device
from app.people.models import Person
from app.privacy.auditlog.actions import action_label, object_label
from app.registrations.models import Registration

PAGE_SIZE = 50
MAX_PAGE = 100_000
#: The most rows one export holds (the filters narrow a larger log).
MAX_EXPORT = 100_000
#: The days a filter may name: a wider range is a typing mistake, and beyond it a day has no next day.
FIRST_YEAR, LAST_YEAR = 2000, 2999
#: The platform's rows belong to no edition: their times are shown in UTC.
PLATFORM_ZONE = "UTC"
#: What an action's code looks like ("meetings.request.decline").
ACTION_CODE = re.compile(r"[a-z0-9_.]{1,60}")


@dataclass(frozen=True)
class AuditFilters:
    q: str = ""
    action: str = ""
    day_from: date | None = None
    day_to: date | None = None

    def as_args(self) -> dict:
        """The filters as a query string (for the pager and the export link)."""
        args = {"q": self.q, "action": self.action,
                "from": self.day_from.isoformat() if self.day_from else "",
                "to": self.day_to.isoformat() if self.day_to else ""}
        return {k: v for k, v in args.items() if v}

    def audited(self) -> dict:
        """What the export's own audit row keeps of the filters: a searched name is personal data, so only that a
        search was made."""
        kept = {"q": bool(self.q), "action": self.action or None,
                "from": self.day_from.isoformat() if self.day_from else None,
                "to": self.day_to.isoformat() if self.day_to else None}
        return {k: v for k, v in kept.items() if v}


def _day(raw: str, label: str) -> tuple[date | None, str | None]:
    raw = (raw or "").strip()
    if not raw:
        return None, None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return None, _("%(field)s: give a day as YYYY-MM-DD, for example 2027-06-02.", field=label)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None, _("%(field)s: give a day between the years %(first)s and %(last)s.", field=label,
                       first=FIRST_YEAR, last=LAST_YEAR)
    return day, None


def filters_from(args) -> tuple[AuditFilters, dict[str, str]]:
    """The filters a query string asks for, and a message per field that could not be read (that filter is then
    left out)."""
    errors: dict[str, str] = {}
    day_from, error = _day(args.get("from", ""), _("From"))
    if error:
        errors["from"] = error
    day_to, error = _day(args.get("to", ""), _("To"))
    if error:
        errors["to"] = error
    if day_from and day_to and day_to < day_from:
        errors["to"] = _("%(field)s: give a day on or after the first day (%(day)s).", field=_("To"),
                         day=day_from.isoformat())
        day_to = None
    action = (args.get("action", "") or "").strip()
    action = action if ACTION_CODE.fullmatch(action) else ""  # not an action's code: no filter (and not kept)
    q = " ".join((args.get("q", "") or "").split())[:200]
    return AuditFilters(q=q, action=action, day_from=day_from, day_to=day_to), errors


def zone_of(event: Event | None) -> str:
    return event.timezone if event is not None else PLATFORM_ZONE


def _scoped(event: Event | None) -> Select:
    query = select(AuditEntry)
    return query.where(AuditEntry.event_id == event.id) if event is not None \
        else query.where(AuditEntry.event_id.is_(None))


def _person_condition(event: Event | None, q: str):
    """Rows whose actor, or whose object (a person, a registration), is a person whose name holds every word."""
    people = select(Person.id).where(every_word_in(q, Person.search_key))
    registrations = select(cast(Registration.id, String)).where(Registration.person_id.in_(people))
    if event is not None:
        registrations = registrations.where(Registration.event_id == event.id)
    return or_(AuditEntry.actor_id.in_(people),
               and_(AuditEntry.object_type == "person",
                    AuditEntry.object_id.in_(select(cast(Person.id, String)).where(
                        every_word_in(q, Person.search_key)))),
               and_(AuditEntry.object_type == "registration", AuditEntry.object_id.in_(registrations)))


def filtered(event: Event | None, filters: AuditFilters) -> Select:
    query = _scoped(event)
    if filters.q:
        query = query.where(_person_condition(event, filters.q))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    zone = zone_of(event)
    if filters.day_from:
        query = query.where(AuditEntry.at >= local_to_utc(filters.day_from, time(0), zone))
    if filters.day_to:
        query = query.where(AuditEntry.at < local_to_utc(filters.day_to + timedelta(days=1), time(0), zone))
    return query


def actions_of(event: Event | None) -> list[tuple[str, str]]:
    """The actions found in the edition's (or the platform's) rows, with their labels, in label order."""
    found = db.session.scalars(select(AuditEntry.action).where(_scoped(event).whereclause).distinct()
                               .order_by(AuditEntry.action))
    return sorted(((action, action_label(action)) for action in found), key=lambda pair: pair[1].casefold())


@dataclass
class AuditRow:
    id: int
    at: datetime          # in the edition's zone (UTC for the platform)
    at_utc: datetime
    actor: str            # a person's name, or "" when the app itself acted
    actor_id: int | None
    action: str
    label: str
    object_type: str
    object_id: str
    object: str           # "Registration · Léa Martin", "Stand #12"
    source: str           # "Phone « Accueil »", "API token « CRM »", ""
    details: dict = field(default_factory=dict)

    @property
    def details_text(self) -> str:
        return details_text(self.details)


def details_text(details: dict) -> str:
    """Details as "key: value" pairs, in key order (lists and dicts as compact JSON)."""
    def shown(value) -> str:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "; ".join(f"{key}: {shown(value)}" for key, value in sorted((details or {}).items()))


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _names(model, ids: set[int], label) -> dict[int, str]:
    if not ids:
        return {}
    return {row.id: label(row) for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def told(entries: list[AuditEntry], zone: str) -> list[AuditRow]:
    """The rows in words: the names of the people, phones and tokens they refer to, read from their tables now
    (a row keeps ids, not names: a person erased is no longer named here)."""
    def ids_of(kind: str) -> set[int]:
        return {int(e.object_id) for e in entries if e.object_type == kind and e.object_id.isdigit()}

    device_ids = ids_of("device") | {i for e in entries if (i := _int((e.details or {}).get("device_id")))}
    token_ids = ids_of("apitoken") | {i for e in entries if (i := _int((e.details or {}).get("token_id")))}
    person_ids = ids_of("person") | {e.actor_id for e in entries if e.actor_id is not None}
    people = _names(Person, person_ids, lambda p: p.full_name)
    registrations = _names(Registration, ids_of("registration"), lambda r: r.person.full_name)
    devices = _names(Device, device_ids, lambda d: d.name)
    tokens = _names(ApiToken, token_ids, lambda t: t.name)
    named = {"person": people, "registration": registrations, "device": devices, "apitoken": tokens}
    rows = []
    for entry in entries:
        details = entry.details or {}
        obj = ""
        if entry.object_type:
            name = named.get(entry.object_type, {}).get(int(entry.object_id)) if entry.object_id.isdigit() else None
            obj = f"{object_label(entry.object_type)} · {name}" if name else \
                f"{object_label(entry.object_type)} #{entry.object_id}".rstrip(" #")
        source = ""
        if (device_id := _int(details.get("device_id"))) is not None:
            source = _("Phone “%(name)s”", name=devices.get(device_id, f"#{device_id}"))
        elif (token_id := _int(details.get("token_id"))) is not None:
            source = _("API token “%(name)s”", name=tokens.get(token_id, f"#{token_id}"))
        rows.append(AuditRow(
            id=entry.id, at=to_local(entry.at, zone), at_utc=entry.at,
            actor=people.get(entry.actor_id, f"#{entry.actor_id}") if entry.actor_id is not None else "",
            actor_id=entry.actor_id, action=entry.action, label=action_label(entry.action),
            object_type=entry.object_type, object_id=entry.object_id, object=obj, source=source, details=details))
    return rows


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def audit_page(event: Event | None, filters: AuditFilters, page: int = 1) -> AuditPage:
    query = filtered(event, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    entries = list(db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                      .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return AuditPage(told(entries, zone_of(event)), total, page, pages)


def all_rows(event: Event | None, filters: AuditFilters) -> list[AuditRow]:
    entries = list(db.session.scalars(filtered(event, filters).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                      .limit(MAX_EXPORT)))
    return told(entries, zone_of(event))
