"""Badges: tokens, layouts, printing, and the door check-in (S1, S2, R2).

`save_layout`, `print_badges`, `reprint`, `own_badge` and `check_in` are use cases: each commits once
(`atomic`). `current_token` and `reissue` are steps of a caller's unit of work.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import badges
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit import services as audit
from app.badging.models import (TOKEN_PREFIX, BadgeLayoutRow, BadgeToken, CheckIn, PrintRun, format_short_code,
                                 new_badge_token, new_short_code, parse_short_code)
from app.core.domain import DomainError
from app.core.i18n import country_name, localized
from app.core.images import clean_image
from app.core.timefmt import to_local, utcnow
from app.core.transaction import atomic, in_atomic
from app.events.labels import CATEGORY_LABELS
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.registrations.labels import mandate_title
from app.registrations.models import Delegation, Registration, RegistrationStatus

MAX_LOGO_BYTES = 2 * 1024 * 1024
#: What a badge token looks like (`models.new_badge_token`), at most 64 characters.
BADGE_CODE = re.compile(rf"{TOKEN_PREFIX}[A-Za-z0-9_-]{{1,62}}")


class BadgeError(DomainError):
    """A refused badge operation."""


# -- tokens ----------------------------------------------------------------------------------------

def current_token(registration: Registration) -> BadgeToken:
    """The live token of a confirmed registration, issued on first need."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise BadgeError("not_confirmed")
    token = db.session.scalar(select(BadgeToken).where(BadgeToken.registration_id == registration.id,
                                                       BadgeToken.revoked_at.is_(None)))
    if token is None:
        token = BadgeToken(registration_id=registration.id, short_code=unused_short_codes(1)[0])
        db.session.add(token)
        db.session.flush()
    return token


def unused_short_codes(count: int) -> list[str]:
    """`count` new short codes, distinct and held by no stored badge (a clash is redrawn, not left to the
    unique constraint: with 29^8 codes it comes about once in a billion badges, but it must not fail a print)."""
    codes: list[str] = []
    while len(codes) < count:
        drawn = {new_short_code() for _ in range(count - len(codes))} - set(codes)
        for start in range(0, len(drawn), 500):
            chunk = sorted(drawn)[start:start + 500]
            drawn -= set(db.session.scalars(select(BadgeToken.short_code).where(BadgeToken.short_code.in_(chunk))))
        codes += sorted(drawn)
    return codes


def reissue(registration: Registration, *, actor_id: int | None) -> BadgeToken:
    """A lost badge: the old token stops working and a new one is issued."""
    for old in db.session.scalars(select(BadgeToken).where(BadgeToken.registration_id == registration.id,
                                                           BadgeToken.revoked_at.is_(None))):
        old.revoked_at = utcnow()
    db.session.flush()
    audit.record("badge.reissue", actor_id=actor_id, event_id=registration.event_id, obj=registration)
    return current_token(registration)


# -- layouts ---------------------------------------------------------------------------------------

def layout_for(event: Event) -> badges.Layout:
    row = db.session.scalar(select(BadgeLayoutRow).where(BadgeLayoutRow.event_id == event.id))
    if row is None:
        return badges.default_layout("a6")
    return dataclasses.replace(badges.layout_from_dict(row.data), logo=row.logo)


@atomic()
def save_layout(event: Event, data: dict, *, logo: bytes | None, remove_logo: bool, actor_id: int) -> badges.Layout:
    """Validate and store a layout (LayoutError names what is wrong; nothing is stored then).

    An uploaded `logo` is decoded and re-encoded (`app.core.images`); ImageRefused when it is not a readable
    PNG or JPEG of at most 2 MB.
    """
    row = db.session.scalar(select(BadgeLayoutRow).where(BadgeLayoutRow.event_id == event.id))
    if logo is not None:
        logo = clean_image(logo, max_bytes=MAX_LOGO_BYTES).data
    kept_logo = None if remove_logo else (logo if logo is not None else (row.logo if row else None))
    layout = dataclasses.replace(badges.layout_from_dict(data), logo=kept_logo)
    badges.validate_layout(layout)
    if row is None:
        row = BadgeLayoutRow(event_id=event.id)
        db.session.add(row)
    row.data = badges.layout_to_dict(dataclasses.replace(layout, logo=None))
    row.logo = kept_logo
    audit.record("badge.layout", actor_id=actor_id, event_id=event.id)
    return layout


def clone_layout(source: Event, clone: Event) -> None:
    row = db.session.scalar(select(BadgeLayoutRow).where(BadgeLayoutRow.event_id == source.id))
    if row is not None:
        db.session.add(BadgeLayoutRow(event_id=clone.id, data=dict(row.data), logo=row.logo))


# -- printing --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """Who to print: everyone confirmed, a category, a delegation, those never printed, or given ids."""

    category: str = ""
    delegation_id: int | None = None
    new_only: bool = False
    registration_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {"category": self.category, "delegation_id": self.delegation_id, "new_only": self.new_only,
                "registration_ids": list(self.registration_ids)}

    @classmethod
    def from_dict(cls, data: dict) -> Selection:
        return cls(category=data.get("category", ""), delegation_id=data.get("delegation_id"),
                   new_only=bool(data.get("new_only")), registration_ids=tuple(data.get("registration_ids", ())))


def selected(event: Event, selection: Selection) -> list[Registration]:
    query = (select(Registration).options(joinedload(Registration.person), joinedload(Registration.organisation),
                                          joinedload(Registration.category))
             .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))
    if selection.category:
        try:
            code = CategoryCode(selection.category)
        except ValueError as exc:
            raise BadgeError("unknown_category", "category") from exc
        query = query.where(Registration.category.has(code=code))
    if selection.delegation_id is not None:
        delegation = db.session.get(Delegation, selection.delegation_id)
        if delegation is None or delegation.event_id != event.id:
            raise BadgeError("unknown_delegation", "delegation")
        query = query.where(Registration.delegation_id == delegation.id)
    if selection.registration_ids:
        query = query.where(Registration.id.in_(selection.registration_ids))
    registrations = list(db.session.scalars(query).unique())
    if selection.new_only:
        printed = set(db.session.scalars(select(BadgeToken.registration_id).where(
            BadgeToken.revoked_at.is_(None), BadgeToken.printed_at.is_not(None))))
        registrations = [r for r in registrations if r.id not in printed]
    registrations.sort(key=lambda r: (r.delegation.name if r.delegation else "~", r.protocol_rank or 0,
                                      r.person.last_name.lower(), r.person.first_name.lower()))
    return registrations


def badge_language(event: Event) -> str:
    """The language badges are printed in (and their PDF says it is in): the edition's first."""
    return (event.language_list or ["fr"])[0]


def badge_record(event: Event, registration: Registration, token: BadgeToken) -> badges.BadgeRecord:
    """The printed words are in the edition's first language, whoever prints."""
    with force_locale(badge_language(event)):
        return _record(event, registration, token)


def _record(event: Event, registration: Registration, token: BadgeToken) -> badges.BadgeRecord:
    person = registration.person
    if registration.mandate is not None:
        role = mandate_title(registration) + (f" · {registration.territory}" if registration.territory else "")
    else:
        role = registration.job_title or person.job_title
    return badges.BadgeRecord(
        token=token.token, short_code=format_short_code(token.short_code), first_name=person.first_name, last_name=person.last_name,
        organisation=registration.organisation.name if registration.organisation else "", role=role,
        country_code=person.country, country_name=country_name(person.country),
        category=registration.category.code.value, category_label=str(CATEGORY_LABELS[registration.category.code]),
        event_name=localized(event, "name"))


@atomic()
def print_badges(event: Event, selection: Selection, sheet: str, *, actor_id: int | None, job_id: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> PrintRun:
    """Render the selection into a stored PDF; tokens are issued as needed and marked printed.

    Nothing is added to the session before the PDF is drawn: `progress` may commit (a job's report), and
    must not store half a print run. New tokens are drawn, then stored with the run.
    """
    registrations = selected(event, sheet_checked(selection, sheet))
    if not registrations:
        raise BadgeError("empty_selection")
    return print_part(event, registrations, selection, sheet, actor_id=actor_id, job_id=job_id, progress=progress)


def sheet_checked(selection: Selection, sheet: str) -> Selection:
    if sheet not in ("a6", "a4x4"):
        raise BadgeError("unknown_sheet", "sheet")
    return selection


def print_part(event: Event, registrations: list[Registration], selection: Selection, sheet: str, *,
               actor_id: int | None, job_id: int | None = None, progress: Callable[[int, int], None] | None = None,
               part: int | None = None) -> PrintRun:
    """Render `registrations` into a stored run (a step of the caller's unit of work, flushed, not committed).

    The PDF is drawn before anything is added to the session, for `progress` may commit."""
    layout = dataclasses.replace(layout_for(event), sheet=sheet)
    live = live_tokens([r.id for r in registrations])
    fresh = iter(unused_short_codes(sum(1 for r in registrations if r.id not in live)))
    tokens = [live.get(r.id) or BadgeToken(registration_id=r.id, token=new_badge_token(), short_code=next(fresh))
              for r in registrations]
    pdf = badges.render([badge_record(event, r, t) for r, t in zip(registrations, tokens, strict=True)], layout,
                        progress=progress, title=f"Badges · {localized(event, 'name', badge_language(event))}",
                        language=badge_language(event))
    now = utcnow()
    for token in tokens:
        token.printed_at = now
        db.session.add(token)
    stored = {**selection.as_dict(), "sheet": sheet}
    if part is not None:  # a job's part: which registrations it holds, for the rest to be printed without them
        stored.update(part=part, printed_ids=[r.id for r in registrations])
    run = PrintRun(event_id=event.id, job_id=job_id, selection=stored, num_badges=len(registrations), pdf=pdf,
                   created_by_id=actor_id)
    db.session.add(run)
    audit.record("badge.print", actor_id=actor_id, event_id=event.id, details={"count": len(registrations),
                                                                               "sheet": sheet})
    db.session.flush()
    return run


def live_tokens(registration_ids: list[int]) -> dict[int, BadgeToken]:
    """Registration id -> its live token, for those that have one (looked up, nothing issued)."""
    live: dict[int, BadgeToken] = {}
    for start in range(0, len(registration_ids), 500):
        for token in db.session.scalars(select(BadgeToken).where(
                BadgeToken.registration_id.in_(registration_ids[start:start + 500]),
                BadgeToken.revoked_at.is_(None)).order_by(BadgeToken.id)):
            live.setdefault(token.registration_id, token)
    return live


@atomic()
def reprint(registration: Registration, *, actor_id: int) -> PrintRun:
    """A lost badge: the old one stops working, a new one is printed (BadgeError 'not_confirmed')."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise BadgeError("not_confirmed")
    reissue(registration, actor_id=actor_id)
    return print_badges(registration.event, Selection(registration_ids=(registration.id,)), "a6", actor_id=actor_id)


@atomic()
def own_badge_record(registration: Registration) -> badges.BadgeRecord:
    """What an attendee's badge holds, with the current token (issued on first need): for its PDF and its page."""
    return badge_record(registration.event, registration, current_token(registration))


def own_badge(registration: Registration) -> bytes:
    """An attendee's print-at-home badge (the current token; printing it does not revoke anything)."""
    event = registration.event
    record = own_badge_record(registration)
    return badges.render([record], dataclasses.replace(layout_for(event), sheet="a6"),
                         title=f"Badge · {record.first_name} {record.last_name} · {record.event_name}",
                         language=badge_language(event))


# -- door check-in ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckInResult:
    """`outcome`: checked_in, already, refused. `reason` for refusals: unknown, revoked, other_event,
    not_confirmed, malformed."""

    outcome: str
    registration: Registration | None = None
    first: CheckIn | None = None
    reason: str = ""


def code_fingerprint(code: str) -> str:
    """What the audit keeps of a refused code: a hash, never the code (S2)."""
    return hashlib.sha256(code.encode("utf-8", "replace")).hexdigest()[:16]


def is_badge_code(code: str) -> bool:
    """The shape of a badge token (its prefix, then URL-safe base64) or of the short code printed under its QR
    code (typed in any case, with or without the dash); anything else is not looked up."""
    return BADGE_CODE.fullmatch(code) is not None or parse_short_code(code) is not None


def find_badges(codes: list[str]) -> dict[str, BadgeToken]:
    """The stored tokens among `codes` (well-formed tokens or short codes), keyed by the code as given, their
    registrations loaded, in one query per 500 codes of each kind."""
    tokens = sorted({c for c in codes if BADGE_CODE.fullmatch(c)})
    short = {c: parse_short_code(c) for c in codes if not BADGE_CODE.fullmatch(c)}
    short = {given: code for given, code in short.items() if code is not None}
    found: dict[str, BadgeToken] = {}
    for column, wanted in ((BadgeToken.token, tokens), (BadgeToken.short_code, sorted(set(short.values())))):
        for start in range(0, len(wanted), 500):
            for token in db.session.scalars(select(BadgeToken).options(joinedload(BadgeToken.registration))
                                            .where(column.in_(wanted[start:start + 500]))):
                found[token.token] = found[token.short_code] = token
    return {given: found[short.get(given, given)] for given in codes if short.get(given, given) in found}


def badge_refusal(event_id: int, code: str, token: BadgeToken | None) -> str:
    """Why a scanned `code` (looked up as `token`) is not a valid badge of the edition, or "" if it is (S2)."""
    if token is None:
        return "unknown" if is_badge_code(code) else "malformed"
    if token.registration.event_id != event_id:
        return "other_event"
    if token.revoked_at is not None:
        return "revoked"
    if token.registration.status != RegistrationStatus.CONFIRMED:
        return "not_confirmed"
    return ""


def resolve_badge(event: Event, code: str) -> tuple[BadgeToken | None, str]:
    """The token behind a scanned or typed code, and the refusal reason ("" for a valid badge of `event`)."""
    code = (code or "").strip()
    token = find_badges([code]).get(code)
    return token, badge_refusal(event.id, code, token)


def check_in(event: Event, code: str, *, staff_id: int | None, place: str = "", at: datetime | None = None) -> CheckInResult:
    """Record a door check-in from a scanned or typed badge code; a refusal is recorded (audited) too."""
    code = (code or "").strip()
    token, reason = resolve_badge(event, code)
    if reason:
        with atomic():
            audit.record("checkin.refused", actor_id=staff_id, event_id=event.id,
                         details={"reason": reason, "code_sha256": code_fingerprint(code)})
        # Another edition's or a revoked badge says nothing about its holder.
        shown = token.registration if reason in ("revoked", "not_confirmed") else None
        return CheckInResult("refused", registration=shown, reason=reason)
    return arrive(event, token.registration, staff_id=staff_id, place=place, at=at)


def arrive(event: Event, registration: Registration, *, staff_id: int | None, place: str = "",
           at: datetime | None = None) -> CheckInResult:
    """The first arrival of a confirmed `registration` (at `at`, a door's own time, or now), or that first one
    (R2). Of two doors scanning at once, the second is rolled back and reports the first's (joining a caller's
    unit of work, the IntegrityError is the caller's)."""
    nested = in_atomic()
    if registration.status != RegistrationStatus.CONFIRMED:
        return CheckInResult("refused", registration=registration, reason="not_confirmed")
    try:
        with atomic():
            first = db.session.scalar(select(CheckIn).where(CheckIn.registration_id == registration.id))
            if first is not None:
                return CheckInResult("already", registration=registration, first=first)
            entry = CheckIn(event_id=event.id, registration_id=registration.id, by_id=staff_id, place=place[:60],
                            at=at or utcnow())
            db.session.add(entry)
            audit.record("checkin", actor_id=staff_id, event_id=event.id, obj=registration)
            db.session.flush()
    except IntegrityError:
        first = None if nested else db.session.scalar(select(CheckIn).where(CheckIn.registration_id == registration.id))
        if first is None:
            raise
        return CheckInResult("already", registration=registration, first=first)
    return CheckInResult("checked_in", registration=registration, first=entry)


def arrivals(event: Event) -> tuple[list[tuple[datetime, int]], dict[str, int], int, int]:
    """Check-ins per local hour, per category, the total, and how many confirmed registrations there are."""
    rows = db.session.execute(select(CheckIn.at, Registration.category_id).join(Registration)
                              .where(CheckIn.event_id == event.id)).all()
    by_hour: dict[datetime, int] = {}
    by_category: dict[str, int] = {}
    codes = {c.id: c.code.value for c in event.categories}
    for at, category_id in rows:
        hour = to_local(at, event.timezone).replace(minute=0, second=0, microsecond=0)
        by_hour[hour] = by_hour.get(hour, 0) + 1
        by_category[codes[category_id]] = by_category.get(codes[category_id], 0) + 1
    confirmed = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))
    return sorted(by_hour.items()), by_category, len(rows), confirmed


def short_code_search(query: str):
    """The registration whose live badge carries the short code `query` (an organiser's search), or None
    when `query` cannot be a short code."""
    code = parse_short_code(query.strip())
    if code is None:
        return None
    return Registration.id.in_(select(BadgeToken.registration_id).where(BadgeToken.short_code == code,
                                                                       BadgeToken.revoked_at.is_(None)))

