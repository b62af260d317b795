"""What the agenda room tells the features below it at start-up (imports run one way): the demonstrator's route,
briefing, sheets and calendar learn which visits are meetings on request and who meets whom at the tables; the
program's agenda page and personal calendar list each person's published meetings."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

import schedules
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.urls import public_url
from app.demonstrator.plans.itinerary import published as published_plan
from app.demonstrator.plans.itinerary import startup_of
from app.demonstrator.plans.meeting_notes import TableMeeting, VisitMeeting
from app.demonstrator.plans.models import PlannedVisit
from app.events.models import Event
from app.extensions import db
from app.meetings.agenda import schedule
from app.meetings.agenda.schedule import HELD, NO_SHOW
from app.meetings.placement.models import MeetingPlacement
from app.meetings.requests.models import MeetingRequest, RequestStatus, Side
from app.program.agenda_sources import AgendaItem
from app.registrations.models import Registration

#: Calendar SEQUENCE: minutes from this day to the meeting's last publication (a moved meeting goes up).
SEQUENCE_EPOCH = datetime(2024, 1, 1)


def _visitor_keys(registration: Registration) -> set[str]:
    """The keys her visits have in a plan: her own, or her delegation's (delegations walk together)."""
    keys = {f"r{registration.id}"}
    if registration.delegation_id is not None:
        keys.add(f"d{registration.delegation_id}")
    return keys


def _visit_of(placement: MeetingPlacement, visits: Iterable[PlannedVisit]) -> PlannedVisit | None:
    """The visit of the published plan that holds a stand meeting: the startup's, with the official's group."""
    stand = placement.published_stand
    for visit in visits:
        side = schedule.startup_side(placement, visit.startup_id) if visit.startup_id is not None else None
        if side is None or (visit.stand_id is not None and stand is not None and visit.stand_id != stand.id):
            continue
        if visit.visitor_key in _visitor_keys(placement.request.person_of(schedule.other(side))):
            return visit
    return None


class DemonstratorMeetings:
    """app.demonstrator.plans.meeting_notes.MeetingSource: the published meetings, seen from the hall."""

    def at_stands(self, event: Event, visits: list[PlannedVisit]) -> dict[int, VisitMeeting]:
        startups = {v.startup_id for v in visits if v.startup_id is not None}
        if not startups:
            return {}
        found: dict[int, VisitMeeting] = {}
        at_stands = [p for p in schedule.published_meetings(event.id, startups) if p.published_stand_id is not None]
        by_startup: dict[int, list[PlannedVisit]] = {}
        for visit in visits:
            by_startup.setdefault(visit.startup_id, []).append(visit)
        for placement in at_stands:
            request = placement.request
            for startup_id in {request.from_registration_id, request.to_registration_id} & startups:
                visit = _visit_of(placement, by_startup.get(startup_id, []))
                side = schedule.startup_side(placement, startup_id)
                if visit is not None and side is not None:
                    found[visit.id] = VisitMeeting(
                        request.id, tuple(schedule.names(schedule.people_of_side(placement, side))),
                        tuple(schedule.names(schedule.people_of_side(placement, schedule.other(side)))))
        return found

    def at_tables(self, event: Event, registration_ids: Iterable[int],
                  day: date | None = None) -> dict[int, list[TableMeeting]]:
        ids = set(registration_ids)
        since, until = schedule.day_bounds(day, event.timezone) if day is not None else (None, None)
        found: dict[int, list[TableMeeting]] = {}
        for placement in schedule.published_meetings(event.id, ids, since=since, until=until):
            if placement.published_table_id is None:
                continue
            people = [(r, n) for n, side in enumerate(Side) for r in schedule.people_of_side(placement, side)]
            meeting = TableMeeting(placement.request_id, placement.published_starts_at, placement.published_ends_at,
                                   schedule.place(placement),
                                   tuple((r.id, schedule.names([r])[0], n) for r, n in people))
            for registration, _side in people:
                if registration.id in ids:
                    found.setdefault(registration.id, []).append(meeting)
        return found


# -- the agenda page --------------------------------------------------------------------------------------------

STATE_STYLES = {HELD: "status-confirmed", NO_SHOW: "status-cancelled"}


def state_label(state: str) -> str:
    return {HELD: _("Held"), NO_SHOW: _("No-show")}.get(state, "")


def agenda_items(registration: Registration) -> list[AgendaItem]:
    """Her published meetings, at tables and at stands, for her agenda page."""
    items = []
    for placement in schedule.published_meetings(registration.event_id, [registration.id]):
        side = schedule.side_of(placement, registration.id)
        if side is None:
            continue
        seen = schedule.Seen(placement, {side})
        ours = schedule.names(r for r in schedule.people_of_side(placement, side) if r.id != registration.id)
        items.append(AgendaItem(
            starts_at=placement.published_starts_at, ends_at=placement.published_ends_at,
            title=_("Meeting with %(people)s", people=", ".join(seen.with_whom)), place=schedule.place(placement),
            url=url_for("meeting_agenda.schedule", slug=registration.event.slug, _anchor=f"p{placement.id}"),
            state=state_label(seen.state), state_class=STATE_STYLES.get(seen.state, ""), kind="meeting",
            detail=_("With you: %(people)s", people=", ".join(ours)) if ours else ""))
    return items


# -- the personal calendar ------------------------------------------------------------------------------------

def meeting_uid(event_id: int, request_id: int, uid_domain: str) -> str:
    """Stable across downloads and publications: one meeting request, one event in her calendar."""
    return f"meeting-{event_id}-{request_id}@{uid_domain}"


def _covered(registration: Registration, placement: MeetingPlacement, visits: list[PlannedVisit]) -> bool:
    """A stand meeting is already in her calendar as the visit it is (app.demonstrator.plans.calendar): the
    startup's people get the visits their stand receives, the official those of her route."""
    visit = _visit_of(placement, visits)
    if visit is None:
        return False
    startup = startup_of(registration)
    if startup is not None:
        return startup.id == visit.startup_id
    return visit.visitor_key in _visitor_keys(registration)


def calendar_items(registration: Registration, *, uid_domain: str, page_url: str) -> list[schedules.ItineraryItem]:
    """Her published meetings at tables (and those at stands her route or briefing does not hold), and as
    cancelled those whose request was cancelled since they were published (subscribed calendars remove them)."""
    event = registration.event
    query = schedule.loaded(select(MeetingPlacement).join(MeetingRequest).where(
        MeetingPlacement.event_id == event.id, MeetingPlacement.published_starts_at.is_not(None),
        schedule.of_people([registration.id])))
    placements = list(db.session.scalars(query.order_by(MeetingPlacement.published_starts_at, MeetingPlacement.id)))
    plan = published_plan(event.id)
    visits = []
    if plan is not None and any(p.published_stand_id is not None for p in placements):
        startups = {r.id for p in placements for r in (p.request.requester, p.request.recipient)}
        visits = list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id,
                                                                    PlannedVisit.startup_id.in_(startups))))
    items = []
    for placement in placements:
        side = schedule.side_of(placement, registration.id)
        if side is None or (placement.published_stand_id is not None and _covered(registration, placement, visits)):
            continue
        seen = schedule.Seen(placement, {side})
        request = placement.request
        lines = [_("Meeting on request with %(people)s.", people=", ".join(seen.with_whom)),
                 _("Your side: %(people)s.", people=", ".join(seen.ours))]
        if request.message:
            lines.append(request.message)
        if page_url:
            lines.append(page_url)
        published_at = placement.published_at or placement.updated_at
        items.append(schedules.ItineraryItem(
            uid=meeting_uid(event.id, request.id, uid_domain),
            title=_("Meeting: %(people)s", people=", ".join(seen.with_whom)),
            start=placement.published_starts_at.replace(tzinfo=UTC), end=placement.published_ends_at.replace(tzinfo=UTC),
            location=schedule.place(placement), description="\n\n".join(lines),
            sequence=max(0, int((published_at - SEQUENCE_EPOCH).total_seconds() // 60)),
            cancelled=request.status is not RequestStatus.ACCEPTED))
    return items


def page_url(registration: Registration) -> str:
    return public_url("meeting_agenda.schedule", slug=registration.event.slug)
