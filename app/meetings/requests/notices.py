"""The e-mails of a request's steps, each to the other side, in the reader's language, through the outbox: a step
of the caller's unit of work (stored with the change, dropped with it)."""
from __future__ import annotations

from app.core.i18n import supported_locale
from app.mail.services import send_mail
from app.meetings.requests import links
from app.meetings.requests.models import MeetingRequest
from app.people.models import Person
from app.registrations.labels import mandate_title
from app.registrations.models import Registration

KIND = "meeting_request"


def party(registration: Registration) -> str:
    """How a side is named in mails and lists: "Sam Leroy (Capteurs du Morvan)"."""
    name = registration.person.full_name
    organisation = registration.organisation.name if registration.organisation else ""
    return f"{name} ({organisation})" if organisation and organisation != name else name


def position(registration: Registration) -> str:
    """Her mandate's title for an official ("Mairesse"), else her job title."""
    return mandate_title(registration) if registration.mandate else registration.job_title


def _send(people: list[Person], template: str, request: MeetingRequest, **context) -> None:
    for person in {p.id: p for p in people if p is not None}.values():
        locale = supported_locale(person.locale)
        send_mail(person.email, template=template, locale=locale, kind=KIND, event_id=request.event_id,
                  person=person, request=request, event=request.requester.event, party=party, **context)


def requested(request: MeetingRequest) -> None:
    """To the person asked: who asks and why; a link to answer without logging in (unless accepted at once)."""
    token = None if request.accepted_at_once else links.answer_token(request)
    _send([request.recipient.person], "meeting_requested", request, token=token)


def answered(request: MeetingRequest, actor: Person) -> None:
    """To the requester; to the person asked too when her coordinator answered for her."""
    _send([request.requester.person], "meeting_answered", request, actor=actor, on_behalf=False)
    if actor.id != request.recipient.person_id:
        _send([request.recipient.person], "meeting_answered", request, actor=actor, on_behalf=True)


def cancelled(request: MeetingRequest, actor: Person) -> None:
    """To the other side (both sides when a coordinator cancelled for one of them)."""
    told = [r.person for r in (request.requester, request.recipient) if r.person_id != actor.id]
    _send(told, "meeting_cancelled", request, actor=actor)


def expired(request: MeetingRequest) -> None:
    _send([request.requester.person], "meeting_expired", request)


def participants_changed(request: MeetingRequest, actor: Person) -> None:
    told = [r.person for r in (request.requester, request.recipient) if r.person_id != actor.id]
    _send(told, "meeting_participants", request, actor=actor)
