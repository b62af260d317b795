"""The published meetings as their people see them: who, when, where, and what the day said of them (marks).

Only what the organiser published is read here (`published_*` of a placement) and only while the request stands
(accepted): a draft is the organiser's business. A person's meetings are those she is in: as the one who asked,
the one asked, or a member brought along. Times are UTC (naive), shown in the edition's time zone.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.core.timefmt import local_to_utc
from app.extensions import db
from app.meetings.placement.models import Mark, MeetingMark, MeetingPlacement
from app.meetings.requests import rules
from app.meetings.requests.models import MeetingParticipant, MeetingRequest, RequestStatus, Side
from app.meetings.requests.notices import party
from app.people.models import Person
from app.registrations.models import Registration

#: What the day said of a meeting, from its marks: held (a side said so, or the startup scanned the other side),
#: a no-show (a side said the other did not come, and nobody said it was held), or nothing yet.
HELD, NO_SHOW, UNMARKED = "held", "no_show", "unmarked"
STATES = (HELD, NO_SHOW, UNMARKED)


def state_of(marks: Iterable[MeetingMark]) -> str:
    found = {m.mark for m in marks}
    if Mark.HELD in found:
        return HELD
    return NO_SHOW if Mark.NO_SHOW in found else UNMARKED


def published() -> Select:
    """The placements attendees see: published, of a request that stands."""
    return (select(MeetingPlacement).join(MeetingRequest, MeetingRequest.id == MeetingPlacement.request_id)
            .where(MeetingPlacement.published_starts_at.is_not(None), MeetingRequest.status == RequestStatus.ACCEPTED))


def loaded(query: Select) -> Select:
    person = (selectinload(Registration.person), selectinload(Registration.organisation),
              selectinload(Registration.category))
    return query.options(
        selectinload(MeetingPlacement.request).options(
            selectinload(MeetingRequest.requester).options(*person),
            selectinload(MeetingRequest.recipient).options(*person),
            selectinload(MeetingRequest.participants).selectinload(MeetingParticipant.registration).options(*person)),
        selectinload(MeetingPlacement.published_table), selectinload(MeetingPlacement.published_stand),
        selectinload(MeetingPlacement.marks).selectinload(MeetingMark.marked_by))


def of_people(registration_ids: Iterable[int]):
    """The condition on a request that one of `registration_ids` is in it."""
    ids = sorted(set(registration_ids))
    brought = select(MeetingParticipant.request_id).where(MeetingParticipant.registration_id.in_(ids))
    return or_(MeetingRequest.from_registration_id.in_(ids), MeetingRequest.to_registration_id.in_(ids),
               MeetingRequest.id.in_(brought))


def published_meetings(event_id: int, registration_ids: Iterable[int] | None = None, *,
                       since: datetime | None = None, until: datetime | None = None) -> list[MeetingPlacement]:
    """The edition's published meetings (of some people; starting in [since, until)), earliest first."""
    query = published().where(MeetingPlacement.event_id == event_id)
    if registration_ids is not None:
        ids = list(registration_ids)
        if not ids:
            return []
        query = query.where(of_people(ids))
    if since is not None:
        query = query.where(MeetingPlacement.published_starts_at >= since)
    if until is not None:
        query = query.where(MeetingPlacement.published_starts_at < until)
    return list(db.session.scalars(loaded(query).order_by(MeetingPlacement.published_starts_at,
                                                           MeetingPlacement.id)))


def published_meeting(event_id: int, placement_id: int) -> MeetingPlacement | None:
    return db.session.scalar(loaded(published().where(MeetingPlacement.event_id == event_id,
                                                       MeetingPlacement.id == placement_id)))


def day_bounds(day: date, tz_name: str) -> tuple[datetime, datetime]:
    """A local day as [start, end) in UTC."""
    return local_to_utc(day, time(0), tz_name), local_to_utc(day + timedelta(days=1), time(0), tz_name)


# -- one meeting as people read it ---------------------------------------------------------------------------

def people_of_side(placement: MeetingPlacement, side: Side) -> list[Registration]:
    """A side: the one who asked (or was asked), then the members she brings along."""
    request = placement.request
    return [request.person_of(side), *(p.registration for p in request.participants if p.side is side)]


def everyone(placement: MeetingPlacement) -> list[Registration]:
    return [*people_of_side(placement, Side.REQUESTER), *people_of_side(placement, Side.RECIPIENT)]


def side_of(placement: MeetingPlacement, registration_id: int) -> Side | None:
    for side in Side:
        if any(r.id == registration_id for r in people_of_side(placement, side)):
            return side
    return None


def startup_side(placement: MeetingPlacement, startup_id: int) -> Side | None:
    """The side of the meeting that the startup `startup_id` (its registration, or its team's lead) is on."""
    request = placement.request
    return next((side for side in Side if startup_id in (request.person_of(side).id,
                                                         request.person_of(side).team_lead_id)), None)


def other(side: Side) -> Side:
    return Side.RECIPIENT if side is Side.REQUESTER else Side.REQUESTER


def place(placement: MeetingPlacement) -> str:
    """Where, in the reader's language: the table of the meetings area, or the startup's stand."""
    if placement.published_stand is not None:
        return _("Stand %(number)s, in the demonstrator", number=placement.published_stand.number)
    if placement.published_table is not None:
        return _("%(table)s, meetings area", table=placement.published_table.name)
    return _("Place to be confirmed")


def names(registrations: Iterable[Registration]) -> list[str]:
    return [party(r) for r in registrations]


def sides_for(placement: MeetingPlacement, person: Person) -> set[Side]:
    """The sides `person` speaks for: she is in it (herself or brought along), or coordinates the delegation of
    the one who asked or was asked."""
    found = set()
    for side in Side:
        members = people_of_side(placement, side)
        if any(r.person_id == person.id for r in members) or rules.acts_for(person.id, members[0]):
            found.add(side)
    return found


@dataclass
class Seen:
    """A published meeting as one person (or her delegation's coordinator) sees it."""

    placement: MeetingPlacement
    #: The sides she speaks for (one, or both for a coordinator whose members meet each other).
    sides: set[Side]

    @property
    def side(self) -> Side:
        return Side.REQUESTER if Side.REQUESTER in self.sides else Side.RECIPIENT  # one to show it from

    @property
    def with_whom(self) -> list[str]:
        return names(people_of_side(self.placement, other(self.side)))

    @property
    def ours(self) -> list[str]:
        return names(people_of_side(self.placement, self.side))

    @property
    def state(self) -> str:
        return state_of(self.placement.marks)

    def mark_of(self, side: Side) -> MeetingMark | None:
        return next((m for m in self.placement.marks if m.side is side), None)


def seen_by(placements: Iterable[MeetingPlacement], person: Person) -> list[Seen]:
    out = []
    for placement in placements:
        sides = sides_for(placement, person)
        if sides:
            out.append(Seen(placement, sides))
    return out
