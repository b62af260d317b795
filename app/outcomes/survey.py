"""The follow-up survey's one-time link: who a token belongs to, the meetings it asks about, the answers, the
unsubscribe.

A link carries a 256-bit random token (`s_` and 43 URL-safe characters); only its SHA-256 is stored, so the
table alone opens nobody's survey. Sending the answers spends the link (`answered_at`); the unsubscribe works
with the same token whatever the state of the survey. The answers go through `services.record_outcome` and
`services.confirm_outcome` with the person as actor and her side, all in one unit of work: a refused answer
stores none of them, and two sends of the same form store the answers once.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.core.transaction import atomic, atomic_write
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.outcomes import services
from app.outcomes.meetings import Meeting, meetings
from app.outcomes.models import Outcome, OutcomeKind, OutcomeSide, SurveyInvitation, SurveyOptOut
from app.outcomes.services import CITY_SIDE_CATEGORIES, OutcomeInput
from app.registrations.models import Registration, RegistrationStatus

TOKEN_PREFIX = "s_"
#: s_ + 43 characters of base64url: 32 random bytes.
TOKEN_PATTERN = re.compile(r"s_[A-Za-z0-9_-]{43}")
#: The people a survey goes to on the city side: the officials and decision makers met.
SURVEYED_CITY_CATEGORIES = (CategoryCode.ELU, CategoryCode.DECIDEUR)


class SurveyError(DomainError):
    """A refused survey answer: `used`, `expired`, `unknown_meeting`, `not_confirmable`."""


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for(token: str) -> SurveyInvitation | None:
    """The invitation a link's token opens, or None (a malformed token is looked up no further)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token)))


def is_expired(invitation: SurveyInvitation, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= invitation.expires_at


def is_opted_out(person_id: int) -> bool:
    return db.session.scalar(select(SurveyOptOut.id).where(SurveyOptOut.person_id == person_id)) is not None


@dataclass
class SurveyMeeting:
    """One meeting the survey asks about, with what each side already said of it."""

    key: int                       # the other party's registration: the person met, or the stand
    stand: Registration            # the startup
    registration: Registration     # the official or decision maker
    meeting: Meeting
    to_confirm: list[Outcome] = field(default_factory=list)   # recorded by the other side, not yet confirmed
    confirmed: list[Outcome] = field(default_factory=list)    # recorded by the other side, confirmed
    own: list[Outcome] = field(default_factory=list)          # recorded by her side already


def is_surveyed_meeting(stand: Registration | None, registration: Registration | None) -> bool:
    """A meeting an outcome can come from: a startup's stand and a city-side person, neither cancelled."""
    return (stand is not None and registration is not None
            and stand.category.code == CategoryCode.STARTUP and stand.status != RegistrationStatus.CANCELLED
            and registration.category.code in CITY_SIDE_CATEGORIES
            and registration.status != RegistrationStatus.CANCELLED)


def edition_meetings(event: Event, *, stand_ids=None, registration_ids=None) -> list[tuple[Meeting, Registration,
                                                                                           Registration]]:
    """The edition's meetings (all, or a stand's, or a person's) an outcome can come from, with both parties."""
    found = meetings(event, stand_ids=stand_ids, registration_ids=registration_ids)
    ids = {m.stand_id for m in found} | {m.registration_id for m in found}
    rows = {r.id: r for r in db.session.scalars(select(Registration).where(Registration.id.in_(ids)))} if ids else {}
    return [(m, rows.get(m.stand_id), rows.get(m.registration_id)) for m in found
            if is_surveyed_meeting(rows.get(m.stand_id), rows.get(m.registration_id))]


def survey_meetings(invitation: SurveyInvitation) -> list[SurveyMeeting]:
    """The meetings of the invitation's person in its edition, earliest first, with their outcomes so far."""
    if invitation.registration_id is None:
        return []
    is_startup = invitation.side == OutcomeSide.STARTUP
    mine = [invitation.registration_id]
    found = edition_meetings(invitation.event, stand_ids=mine if is_startup else None,
                             registration_ids=None if is_startup else mine)
    result = [SurveyMeeting(key=(registration.id if is_startup else stand.id), stand=stand,
                            registration=registration, meeting=meeting) for meeting, stand, registration in found]
    if not result:
        return result
    by_pair = {(m.stand.id, m.registration.id): m for m in result}
    outcomes = db.session.scalars(
        select(Outcome).where(Outcome.event_id == invitation.event_id,
                              Outcome.stand_id.in_({m.stand.id for m in result}),
                              Outcome.registration_id.in_({m.registration.id for m in result}))
        .order_by(Outcome.status_on, Outcome.id))
    for outcome in outcomes:
        entry = by_pair.get((outcome.stand_id, outcome.registration_id))
        if entry is None:
            continue
        if outcome.recorded_side == invitation.side:
            entry.own.append(outcome)
        elif outcome.confirmed_at is None:
            entry.to_confirm.append(outcome)
        else:
            entry.confirmed.append(outcome)
    return result


@atomic()
def mark_opened(invitation: SurveyInvitation) -> None:
    """The link was opened (the first time only)."""
    if invitation.opened_at is None:
        invitation.opened_at = utcnow()


def answer_survey(invitation_id: int, answers: dict[int, OutcomeInput], confirm_ids: set[int]) -> SurveyInvitation:
    """Store the person's answers -- an outcome per meeting in `answers` (by meeting key), a confirmation per
    outcome id in `confirm_ids` -- and spend the link. One unit of work: all of it or, on a refusal
    (SurveyError, OutcomeError), nothing."""
    with atomic_write():
        now = utcnow()
        invitation = db.session.get(SurveyInvitation, invitation_id)
        claimed = db.session.execute(
            update(SurveyInvitation)
            .where(SurveyInvitation.id == invitation_id, SurveyInvitation.answered_at.is_(None),
                   SurveyInvitation.expires_at > now)
            .values(answered_at=now)).rowcount
        if not claimed:
            db.session.refresh(invitation)
            raise SurveyError("used" if invitation.answered_at is not None else "expired")
        found = {m.key: m for m in survey_meetings(invitation)}
        confirmable = {o.id: o for m in found.values() for o in m.to_confirm + m.confirmed}
        for key in answers:
            if key not in found:
                raise SurveyError("unknown_meeting", "meeting", key=key)
        for outcome_id in confirm_ids:
            if outcome_id not in confirmable:
                raise SurveyError("not_confirmable", "outcome", id=outcome_id)
        actor, side = invitation.person_id, invitation.side
        answers, confirm_ids = dict(answers), set(confirm_ids)
        for key, data in list(answers.items()):
            entry = found[key]
            # What the other side already said is confirmed, not recorded twice; what her side said stays.
            same = [o for o in entry.to_confirm + entry.confirmed if o.kind == data.kind]
            if same and data.kind != OutcomeKind.NONE:
                confirm_ids.add(same[0].id)
                del answers[key]
            elif any(o.kind == data.kind for o in entry.own) and data.kind != OutcomeKind.NONE:
                del answers[key]
        for key, data in answers.items():
            entry = found[key]
            try:
                services.record_outcome(invitation.event, data, stand=entry.stand, registration=entry.registration,
                                        source=entry.meeting.source, planned_visit_id=entry.meeting.planned_visit_id,
                                        lead_id=entry.meeting.lead_id, actor_id=actor, side=side)
            except services.OutcomeError as error:
                error.params["meeting_key"] = key  # the page ties the message to that meeting's field
                raise
        for outcome_id in sorted(confirm_ids):
            services.confirm_outcome(confirmable[outcome_id], actor_id=actor, side=side)
        audit.record("outcome.survey_answer", actor_id=actor, event_id=invitation.event_id, obj=invitation,
                     details={"wave": invitation.wave, "side": side.value, "recorded": len(answers),
                              "confirmed": len(confirm_ids)})
    return invitation


def opt_out(person_id: int) -> None:
    """No more follow-up surveys to this person, from any edition. Idempotent."""
    try:
        with atomic():
            if not is_opted_out(person_id):
                db.session.add(SurveyOptOut(person_id=person_id))
                audit.record("outcome.survey_opt_out", actor_id=person_id, obj=None, details={})
    except IntegrityError:
        if not is_opted_out(person_id):  # not the twin request that stored it first
            raise
