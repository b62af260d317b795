"""Meeting requests: sending one, answering it (the person asked or her delegation's coordinator), cancelling it,
bringing delegation members along, and each person's opt-in.

Each change is one unit of work: the request's new state, a mail to the other side through the outbox, an audit
row, one commit; a refusal (MeetingError) changes nothing. Sending takes the database's write lock first
(`atomic_write`), so that one person's requests sent at the same instant cannot both slip under her limit.

Attempts to send are counted by the house's rate counter (`count_attempt`), on their own and before the form is
even read, so that a refused attempt counts too: the request form's route calls it first on every submit.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.audit import services as audit
from app.core.ratelimit import count_request, seconds_to_next_minute
from app.core.timefmt import local_to_utc, to_local, utcnow
from app.core.transaction import atomic, atomic_write
from app.events.models import Event
from app.extensions import db
from app.meetings.errors import Conflict, MeetingError, NotAllowed, NotFound, TooMany
from app.meetings.requests import notices, rules
from app.meetings.requests.models import (LIVE, AcceptanceMode, MeetingParticipant, MeetingProfile, MeetingReason,
                                          MeetingRequest, MeetingThrottle, RequestStatus, Side)
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus

#: Characters of a request's message, and of the reason given with an answer or a cancellation.
MAX_MESSAGE = 500
DECISIONS = ("accept", "decline", "cancel")
HOUR = 3600


@dataclass(frozen=True)
class RequestInput:
    reason: str
    message: str = ""
    #: Members of the requester's delegation who come along.
    participant_ids: tuple[int, ...] = field(default_factory=tuple)


def _text(text: str | None, name: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_MESSAGE:
        raise MeetingError("too_long", name, max=MAX_MESSAGE, length=len(text))
    return text


def _reason(value: str) -> MeetingReason:
    try:
        return MeetingReason(value)
    except ValueError:
        raise MeetingError("bad_reason", "reason") from None


def _check_open(event: Event, now: datetime) -> None:
    settings = rules.settings_of(event.id)
    if settings is None or not settings.is_open:
        raise NotAllowed("requests_closed")
    _check_not_over(event, now)


def _check_not_over(event: Event, now: datetime) -> None:
    if to_local(now, event.timezone).date() > event.ends_on:
        raise Conflict("edition_over")


def expiry_of(event: Event, days: int, now: datetime) -> datetime:
    """`days` after `now`, and never after the edition's last evening (a request left waiting past the summit
    has no meeting to lead to)."""
    last = local_to_utc(event.ends_on, time(23, 59), event.timezone)
    return min(now + timedelta(days=days), last)


def count_attempt(registration_id: int, *, now: datetime | None = None) -> None:
    """Count one attempt of `registration_id` to send a request in the current hour (committed at once); TooMany
    past MEETING_REQUESTS_PER_HOUR."""
    now = now or utcnow()
    with atomic():
        insert = sqlite_insert if db.session.get_bind().dialect.name == "sqlite" else postgresql_insert
        db.session.execute(insert(MeetingThrottle).values(id=registration_id, rate_minute=0, rate_count=0)
                           .on_conflict_do_nothing())
    limit = current_app.config["MEETING_REQUESTS_PER_HOUR"]
    if count_request(MeetingThrottle, registration_id, now=now, window=HOUR) > limit:
        raise TooMany("too_many_per_hour", minutes=-(-seconds_to_next_minute(now, HOUR) // 60))


def _participants(request: MeetingRequest, side: Side, chosen: Iterable[int], actor: Person) -> bool:
    """Make the members of `side` who come along exactly `chosen` (members of that side's delegation); whether
    anything changed."""
    allowed = {r.id: r for r in rules.companions(request.person_of(side))}
    chosen = list(dict.fromkeys(chosen))
    if any(registration_id not in allowed for registration_id in chosen):
        raise MeetingError("bad_participant", "participants")
    current = {p.registration_id: p for p in request.participants if p.side is side}
    for registration_id, participant in current.items():
        if registration_id not in chosen:
            request.participants.remove(participant)
    for registration_id in chosen:
        if registration_id not in current:
            request.participants.append(MeetingParticipant(registration_id=registration_id, side=side,
                                                           added_by_id=actor.id, added_at=utcnow()))
    return set(current) != set(chosen)


def _live_between(a: int, b: int) -> MeetingRequest | None:
    return db.session.scalar(select(MeetingRequest).where(
        MeetingRequest.from_registration_id == a, MeetingRequest.to_registration_id == b,
        MeetingRequest.status.in_(LIVE)).limit(1))


def live_between(a: Registration, b: Registration) -> MeetingRequest | None:
    """The request standing between two people, either way."""
    return _live_between(a.id, b.id) or _live_between(b.id, a.id)


def request_meeting(event: Event, requester: Registration, recipient_id: int, data: RequestInput, *,
                    actor: Person, now: datetime | None = None) -> MeetingRequest:
    """`requester` asks the person of registration `recipient_id` to meet. Accepted at once when the edition says
    so; else pending until the recipient answers or it expires. Refused: MeetingError. (The attempt is counted
    by `count_attempt` before.)"""
    now = now or utcnow()
    _check_open(event, now)
    if requester.event_id != event.id or requester.status != RegistrationStatus.CONFIRMED:
        raise NotAllowed("not_confirmed")
    if not rules.acts_for(actor.id, requester):
        raise NotAllowed("not_your_side")
    requester_id = requester.id
    with atomic_write():
        # One person's sends one at a time (SQLite's write lock is the database's; PostgreSQL locks her row).
        db.session.execute(select(MeetingThrottle.id).where(MeetingThrottle.id == requester_id).with_for_update())
        requester = db.session.get(Registration, requester_id)
        settings = rules.settings_of(event.id)
        recipient = db.session.get(Registration, recipient_id)
        if recipient is not None and recipient.id == requester.id:
            raise MeetingError("self")
        if recipient is None or recipient.event_id != event.id or not rules.is_open_to_requests(recipient):
            raise NotFound("unknown_person")
        if not rules.may_request(requester, recipient):
            raise NotAllowed("category_not_allowed")
        reason = _reason(data.reason)
        message = _text(data.message, "message")
        if _live_between(requester.id, recipient.id) is not None:
            raise Conflict("already_requested")
        if _live_between(recipient.id, requester.id) is not None:
            raise Conflict("they_asked_you")
        limit = current_app.config["MEETING_REQUESTS_MAX_PENDING"]
        pending = db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
            MeetingRequest.from_registration_id == requester.id, MeetingRequest.status == RequestStatus.PENDING))
        at_once = settings.acceptance is AcceptanceMode.AT_ONCE
        if not at_once and pending >= limit:
            raise TooMany("too_many_pending", limit=limit)
        request = MeetingRequest(
            event_id=event.id, requester=requester, recipient=recipient, reason=reason, message=message,
            status=RequestStatus.ACCEPTED if at_once else RequestStatus.PENDING, accepted_at_once=at_once,
            created_at=now, expires_at=expiry_of(event, settings.expiry_days, now),
            answered_at=now if at_once else None)
        db.session.add(request)
        _participants(request, Side.REQUESTER, data.participant_ids, actor)
        db.session.flush()
        notices.requested(request)
        audit.record("meetings.request.send", actor_id=actor.id, event_id=event.id, obj=request,
                     details={"to": recipient.id, "reason": reason.value, "at_once": at_once})
    return request


def get_request(event: Event, request_id: int, person: Person) -> MeetingRequest:
    """A request of `event` that `person` acts for (either side, herself or as its coordinator)."""
    request = db.session.get(MeetingRequest, request_id)
    if request is None or request.event_id != event.id or not sides_of(request, person):
        raise NotFound("unknown_request")
    return request


def sides_of(request: MeetingRequest, person: Person) -> set[Side]:
    """The sides of `request` that `person` acts for."""
    return {side for side in Side if rules.acts_for(person.id, request.person_of(side))}


def decide(event: Event, request_id: int, actor: Person, decision: str, reason: str = "",
           participant_ids: Iterable[int] = (), *, now: datetime | None = None) -> MeetingRequest:
    """Accept or decline (the recipient or her coordinator, while the request waits), or cancel (the requester
    while it waits; either side once accepted). Accepting may bring the recipient's delegation members along."""
    now = now or utcnow()
    with atomic():
        request = get_request(event, request_id, actor)
        return _decide(event, request, actor, decision, reason, participant_ids, now)


def _decide(event: Event, request: MeetingRequest, actor: Person, decision: str, reason: str,
            participant_ids: Iterable[int], now: datetime) -> MeetingRequest:
    if decision not in DECISIONS:
        raise MeetingError("bad_decision", "decision")
    sides = sides_of(request, actor)
    _check_not_over(event, now)
    if decision == "cancel":
        reason = _text(reason, "answer_reason")
        if request.status not in LIVE:
            raise Conflict("not_live")
        if request.status is RequestStatus.PENDING and Side.REQUESTER not in sides:
            raise Conflict("decline_pending") if Side.RECIPIENT in sides else NotAllowed("not_your_side")
        request.status, request.cancelled_at, request.cancelled_by_id = RequestStatus.CANCELLED, now, actor.id
        request.cancel_reason = reason
        notices.cancelled(request, actor)
        audit.record("meetings.request.cancel", actor_id=actor.id, event_id=event.id, obj=request,
                     details={"with_reason": bool(reason)})
        return request
    if Side.RECIPIENT not in sides:
        raise NotAllowed("not_your_side")
    reason = _text(reason, "answer_reason")
    _check_pending(request, now)
    if decision == "decline" and list(participant_ids):
        raise MeetingError("bad_participant", "participants")
    accepted = decision == "accept"
    if accepted:
        _participants(request, Side.RECIPIENT, participant_ids, actor)
    request.status = RequestStatus.ACCEPTED if accepted else RequestStatus.DECLINED
    request.answered_at, request.answered_by_id, request.answer_reason = now, actor.id, reason
    notices.answered(request, actor)
    audit.record(f"meetings.request.{'accept' if accepted else 'decline'}", actor_id=actor.id, event_id=event.id,
                 obj=request, details={"on_behalf": actor.id != request.recipient.person_id,
                                       "with_reason": bool(reason)})
    return request


def _check_pending(request: MeetingRequest, now: datetime) -> None:
    if request.status in (RequestStatus.ACCEPTED, RequestStatus.DECLINED):
        raise Conflict("already_answered")
    if request.status is not RequestStatus.PENDING:
        raise Conflict("not_pending", status=request.status.value)
    if request.expires_at <= now:
        raise Conflict("expired")


def answer_by_link(request: MeetingRequest, decision: str, reason: str = "", *,
                   now: datetime | None = None) -> MeetingRequest:
    """The recipient accepts or declines from her e-mail's signed link (links.request_of found the request)."""
    now = now or utcnow()
    with atomic():
        request = db.session.get(MeetingRequest, request.id)
        if decision not in ("accept", "decline"):
            raise MeetingError("bad_decision", "decision")
        event = request.recipient.event
        return _decide(event, request, request.recipient.person, decision, reason, (), now)


def set_participants(event: Event, request_id: int, actor: Person, chosen: Iterable[int]) -> MeetingRequest:
    """The members of her delegation who come along, for each side `actor` acts for (her own, or as
    coordinator); the other side is told when the list changed."""
    chosen = list(chosen)
    with atomic():
        request = get_request(event, request_id, actor)
        if request.status not in LIVE:
            raise Conflict("not_live")
        sides = sides_of(request, actor)
        by_side = {side: {r.id for r in rules.companions(request.person_of(side))} for side in sides}
        if any(not any(i in ids for ids in by_side.values()) for i in chosen):
            raise MeetingError("bad_participant", "participants")
        changed = False
        for side, ids in by_side.items():
            changed |= _participants(request, side, [i for i in chosen if i in ids], actor)
        if changed:
            db.session.flush()
            notices.participants_changed(request, actor)
            audit.record("meetings.request.participants", actor_id=actor.id, event_id=event.id, obj=request,
                         details={"participants": sorted(p.registration_id for p in request.participants)})
    return request


def set_opt_in(registration: Registration, accepts: bool, *, actor: Person) -> MeetingProfile:
    """Her choice to receive meeting requests (and, opted in, to show her position and themes) or not."""
    with atomic():
        profile = db.session.get(MeetingProfile, registration.id)
        if profile is None:
            profile = MeetingProfile(registration_id=registration.id)
            db.session.add(profile)
        if profile.accepts_requests is not accepts:
            profile.accepts_requests = accepts
            audit.record("meetings.opt_in" if accepts else "meetings.opt_out", actor_id=actor.id,
                         event_id=registration.event_id, obj=registration)
    return profile
