"""Lists of requests: a person's (received and sent), her delegation's when she coordinates it, and the organiser's
list of all of an edition's requests with the counts per status."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.core.search import every_word_in
from app.events.models import Event
from app.extensions import db
from app.meetings.requests import rules
from app.meetings.requests.models import MeetingParticipant, MeetingRequest, RequestStatus
from app.people.models import Organisation, Person
from app.registrations.models import Delegation, Registration

PAGE_SIZE = 50
MAX_PAGE = 10_000


def _loaded(query: Select) -> Select:
    person_and_organisation = (selectinload(Registration.person), selectinload(Registration.organisation),
                               selectinload(Registration.category))
    return query.options(
        selectinload(MeetingRequest.requester).options(*person_and_organisation),
        selectinload(MeetingRequest.recipient).options(*person_and_organisation),
        selectinload(MeetingRequest.participants).selectinload(MeetingParticipant.registration)
        .selectinload(Registration.person),
        selectinload(MeetingRequest.answered_by), selectinload(MeetingRequest.cancelled_by))


def _ordered(query: Select) -> Select:
    """Waiting ones first (soonest to expire first), then the others, newest first."""
    waiting = case((MeetingRequest.status == RequestStatus.PENDING, 0), else_=1)
    return query.order_by(waiting, case((MeetingRequest.status == RequestStatus.PENDING, MeetingRequest.expires_at)),
                          MeetingRequest.created_at.desc(), MeetingRequest.id.desc())


@dataclass(frozen=True)
class MyMeetings:
    received: list[MeetingRequest]
    sent: list[MeetingRequest]
    #: The requests of the members of the delegation she coordinates (hers left out), and that delegation.
    delegation: Delegation | None
    delegation_requests: list[MeetingRequest]

    @property
    def num_to_answer(self) -> int:
        return sum(1 for r in self.received if r.status is RequestStatus.PENDING)


def my_meetings(registration: Registration) -> MyMeetings:
    mine = db.session.scalars(_ordered(_loaded(select(MeetingRequest).where(or_(
        MeetingRequest.from_registration_id == registration.id,
        MeetingRequest.to_registration_id == registration.id)))))
    received, sent = [], []
    for request in mine:
        (received if request.to_registration_id == registration.id else sent).append(request)
    delegation = rules.coordinated_delegation(registration)
    theirs: list[MeetingRequest] = []
    if delegation is not None:
        ids = [m.id for m in delegation.members if m.id != registration.id]
        if ids:
            theirs = list(db.session.scalars(_ordered(_loaded(select(MeetingRequest).where(or_(
                MeetingRequest.from_registration_id.in_(ids), MeetingRequest.to_registration_id.in_(ids)))))))
    return MyMeetings(received, sent, delegation, theirs)


def status_counts(event: Event) -> dict[RequestStatus, int]:
    """Every status, with how many of the edition's requests are in it."""
    found = dict(db.session.execute(select(MeetingRequest.status, func.count()).where(
        MeetingRequest.event_id == event.id).group_by(MeetingRequest.status)).all())
    return {status: found.get(status, 0) for status in RequestStatus}


@dataclass(frozen=True)
class RequestsPage:
    requests: list[MeetingRequest]
    total: int
    page: int
    pages: int


def organiser_page(event: Event, *, status: str = "", q: str = "", page: int = 1) -> RequestsPage:
    """The edition's requests, filtered by status and by a search in either side's name or organisation."""
    query = select(MeetingRequest).where(MeetingRequest.event_id == event.id)
    if status in {s.value for s in RequestStatus}:
        query = query.where(MeetingRequest.status == RequestStatus(status))
    if q:
        side = aliased(Registration)
        person, organisation = aliased(Person), aliased(Organisation)
        found = (select(side.id).join(person, side.person_id == person.id)
                 .outerjoin(organisation, side.organisation_id == organisation.id)
                 .where(side.event_id == event.id,
                        every_word_in(q, person.search_key, organisation.search_key)))
        query = query.where(or_(MeetingRequest.from_registration_id.in_(found),
                                MeetingRequest.to_registration_id.in_(found)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(_loaded(query).order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return RequestsPage(list(rows), total, page, pages)
