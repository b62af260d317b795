"""The visits in a person's personal calendar feed: an official's route, or the visits a startup receives."""
from __future__ import annotations

from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import schedules
from app.core.i18n import localized
from app.core.urls import public_url
from app.demonstrator.hall.queries import startup_name
from app.demonstrator.plans.itinerary import (
    member_line, planned_for, published, route_of, startup_of, unit_name, units_for, visitors_of,
)
from app.demonstrator.plans.meeting_notes import VisitMeeting, stand_meetings
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.demonstrator.wishes.visitors import VisitorUnit
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration


def visit_uid(event_id: int, visitor_key: str, stand_key: str, uid_domain: str, *, host: bool = False) -> str:
    """Stable across downloads and plan versions: a moved visit keeps its UID, with a higher SEQUENCE."""
    kind = "stand-visit" if host else "visit"
    return f"{kind}-{event_id}-{visitor_key}-{stand_key.replace('/', '-')}@{uid_domain}"


def calendar_items(registration: Registration, *, uid_domain: str, page_url: str = "") -> list[schedules.ItineraryItem]:
    """The person's visit slots for their personal feed (texts in the current locale).

    An official gets the visits of their route; a startup's people get the visits their stand
    receives. SEQUENCE is the published plan's version; a visit of an earlier published plan
    that the current one dropped comes back as CANCELLED so that subscribed calendars remove it.
    """
    event = registration.event
    plan = published(event.id)
    if plan is None:
        return []
    startup = startup_of(registration)
    if startup is not None:
        scope = PlannedVisit.startup_id == startup.id
        current = visitors_of(startup)
    else:
        scope = planned_for(registration)
        current = route_of(registration)
    host = startup is not None
    units = units_for(event, {v.visitor_key for v in current}, current) if host else {}
    notes = stand_meetings(event, current)  # the visits that are meetings on request say so
    items = [_item(event, v, plan.version, uid_domain, page_url, units.get(v.visitor_key), host=host,
                   meeting=notes.get(v.id)) for v in current]
    kept = {(v.visitor_key, v.stand_key) for v in current}
    dropped: dict[tuple[str, str], PlannedVisit] = {}
    for visit in db.session.scalars(
            select(PlannedVisit).join(VisitPlan)
            .where(VisitPlan.event_id == event.id, VisitPlan.status == PlanStatus.SUPERSEDED, scope)
            .options(selectinload(PlannedVisit.stand), selectinload(PlannedVisit.startup),
                     selectinload(PlannedVisit.delegation), selectinload(PlannedVisit.registration))
            .order_by(VisitPlan.version)):
        if (visit.visitor_key, visit.stand_key) not in kept:
            dropped[(visit.visitor_key, visit.stand_key)] = visit  # the latest version wins
    for visit in dropped.values():
        items.append(_item(event, visit, plan.version, uid_domain, page_url, None, host=host, cancelled=True))
    return items


def _item(event: Event, visit: PlannedVisit, version: int, uid_domain: str, page_url: str,
          unit: VisitorUnit | None, *, host: bool, cancelled: bool = False,
          meeting: VisitMeeting | None = None) -> schedules.ItineraryItem:
    number = visit.stand.number if visit.stand else visit.stand_key.partition("/")[0]
    startup = visit.startup
    if host:
        who = unit_name(unit) if unit else (visit.delegation.name if visit.delegation
                                            else visit.registration.person.full_name if visit.registration else "")
        title = _("Visit to your stand: %(visitor)s", visitor=who)
        lines = [", ".join(member_line(m) for m in unit.members)] if unit and unit.members else []
    else:
        title = _("Demonstrator: %(startup)s (stand %(number)s)", startup=startup_name(startup), number=number)
        pitch = localized(startup.organisation, "pitch").strip() if startup and startup.organisation else ""
        lines = [pitch] if pitch else []
    if meeting is not None:
        title = (_("Meeting on request at your stand: %(people)s", people=", ".join(meeting.visitor_side)) if host
                 else _("Meeting on request at stand %(number)s: %(people)s", number=number,
                        people=", ".join(meeting.startup_side)))
    place = _("Demonstrator, stand %(number)s", number=number)
    zone = localized(visit.stand, "zone") if visit.stand is not None else ""
    if zone:
        place += f" ({zone})"
    if page_url:
        lines.append(page_url)
    return schedules.ItineraryItem(
        uid=visit_uid(event.id, visit.visitor_key, visit.stand_key, uid_domain, host=host), title=title,
        start=visit.starts_at.replace(tzinfo=UTC), end=visit.ends_at.replace(tzinfo=UTC), location=place,
        description="\n\n".join(line for line in lines if line), sequence=version, cancelled=cancelled)


def page_url(registration: Registration) -> str:
    """Where the visits in a person's calendar feed link to: a startup's briefing, else the visitor's route."""
    endpoint = "visits.briefing" if startup_of(registration) else "visits.route"
    return public_url(endpoint, slug=registration.event.slug)
