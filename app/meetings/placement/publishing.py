"""Publishing the placement: the draft becomes what attendees see, and only those whose meeting is new, moved,
cancelled or no longer has a place (still accepted, to be given a new time) are told, one e-mail each listing her
changes, through the outbox.

The routes the meetings were placed around are published with them when they are still a draft (the stand
meetings are visits of those routes; the demonstrator tells the officials and startups whose routes change, as
publishing a plan always does). Refused while a placement runs, when other routes were published since the
meetings were placed (the stand meetings' times would be those of routes nobody walks): place them again first; and
when the draft no longer holds (someone would be in two places: `editing.draft_clash` names who).
One unit of work: the placement, the routes, the notices.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit import services as audit
from app.core.i18n import supported_locale
from app.core.timefmt import format_moment, utcnow
from app.core.transaction import atomic
from app.demonstrator.hall.models import Stand
from app.demonstrator.plans import editing as plan_editing
from app.demonstrator.plans.models import PlanStatus
from app.events.models import Event
from app.extensions import db
from app.mail.services import send_mail
from app.meetings.errors import Conflict
from app.meetings.placement.editing import draft_clash
from app.meetings.placement.availability import people_of, routes_plan
from app.meetings.placement.jobs import running_job
from app.meetings.placement.models import MeetingPlacement, PlacementRun
from app.meetings.placement.placing import refresh_stand_times
from app.meetings.requests.models import MeetingParticipant, MeetingRequest, MeetingTable, RequestStatus
from app.meetings.requests.notices import party
from app.registrations.models import Registration

NEW, MOVED, CANCELLED, UNPLACED = "new", "moved", "cancelled", "unplaced"
KIND = "meeting_placement"


@dataclass
class Changes:
    """What publishing the draft changes: per placement, new, moved, cancelled (the request is no longer accepted)
    or unplaced (still accepted, but the draft found it no place); and who is told."""

    by_placement: dict[int, str] = field(default_factory=dict)
    people: dict[int, list[tuple[str, MeetingPlacement]]] = field(default_factory=dict)  # registration id -> ...
    plan_version: int | None = None  # the routes published along, if still a draft

    def count(self, what: str) -> int:
        return sum(1 for change in self.by_placement.values() if change == what)

    @property
    def num_people(self) -> int:
        return len({registration_id for registration_id in self.people})


def _where(p: MeetingPlacement) -> tuple:
    return (p.starts_at, p.table_id, p.stand_id)


def _published_where(p: MeetingPlacement) -> tuple:
    return (p.published_starts_at, p.published_table_id, p.published_stand_id)


def changes(event: Event) -> Changes:
    """What publishing now would change (the page says it before the click)."""
    placements = db.session.scalars(
        select(MeetingPlacement).where(MeetingPlacement.event_id == event.id)
        .options(selectinload(MeetingPlacement.request).selectinload(MeetingRequest.participants)
                 .selectinload(MeetingParticipant.registration),
                 selectinload(MeetingPlacement.table), selectinload(MeetingPlacement.stand))).all()
    found = Changes()
    for p in placements:
        live = p.request.status is RequestStatus.ACCEPTED and p.starts_at is not None
        if live and not p.is_published:
            found.by_placement[p.id] = NEW
        elif live and _where(p) != _published_where(p):
            found.by_placement[p.id] = MOVED
        elif not live and p.is_published:
            found.by_placement[p.id] = UNPLACED if p.request.status is RequestStatus.ACCEPTED else CANCELLED
    by_id = {p.id: p for p in placements}
    for placement_id, change in found.by_placement.items():
        p = by_id[placement_id]
        for registration_id in people_of(p.request):
            found.people.setdefault(registration_id, []).append((change, p))
    plan = routes_plan(event)
    run = db.session.get(PlacementRun, event.id)
    if plan is not None and run is not None and run.plan_id == plan.id and plan.status == PlanStatus.DRAFT:
        found.plan_version = plan.version
    return found


def is_stale(event: Event) -> bool:
    """Other routes were published since the meetings were placed (or the routes they were placed around are
    gone): the stand meetings' times are not those of the routes walked."""
    run = db.session.get(PlacementRun, event.id)
    if run is None or run.placed_at is None:
        return False
    plan = routes_plan(event)
    if run.plan_id is None:
        return False
    return plan is None or plan.id != run.plan_id


@atomic()
def publish(event: Event, *, actor_id: int | None, notify_people: bool = True) -> Changes:
    """Make the draft what attendees see (see the module); returns what changed and who was told (nobody, routes
    included, when not `notify_people`: a demo's history)."""
    if running_job(event) is not None:
        raise Conflict("already_placing")
    run = db.session.get(PlacementRun, event.id)
    if run is None or run.placed_at is None:
        raise Conflict("nothing_placed")
    if is_stale(event):
        raise Conflict("routes_changed")
    refresh_stand_times(event, run.plan)
    db.session.flush()
    clash = draft_clash(event)
    if clash is not None:
        raise Conflict("draft_clash", reason=clash)
    found = changes(event)
    if found.plan_version is not None:
        plan_editing.publish(run.plan, actor_id=actor_id, notify_people=notify_people)
    if notify_people:
        _notify(event, found)  # before the copy: a cancelled or moved meeting's notice says where it was
    now = utcnow()
    for p in db.session.scalars(select(MeetingPlacement).where(MeetingPlacement.event_id == event.id)):
        if p.request.status is RequestStatus.ACCEPTED and p.starts_at is not None:
            p.published_starts_at, p.published_ends_at = p.starts_at, p.ends_at
            p.published_table_id, p.published_stand_id = p.table_id, p.stand_id
            p.published_at = now
        elif p.request.status is not RequestStatus.ACCEPTED:
            db.session.delete(p)  # its notice is written: nothing is left to show
        elif p.is_published:
            p.published_starts_at = p.published_ends_at = p.published_table_id = p.published_stand_id = None
            p.published_at = now
    run.published_at = now
    audit.record("meetings.publish", actor_id=actor_id, event_id=event.id, obj=event,
                 details={"new": found.count(NEW), "moved": found.count(MOVED), "cancelled": found.count(CANCELLED),
                          "unplaced": found.count(UNPLACED),
                          "people": found.num_people if notify_people else 0, "routes_version": found.plan_version})
    return found


def _notify(event: Event, found: Changes) -> None:
    """One message per person concerned, in her language, listing her meetings that changed."""
    registrations = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.id.in_(list(found.people)))
        .options(selectinload(Registration.person)))}
    told: dict[int, list] = defaultdict(list)
    for registration_id, items in found.people.items():
        registration = registrations.get(registration_id)
        if registration is not None:
            told[registration.person_id].extend(
                (change, p, ", ".join(party(registrations.get(r) or db.session.get(Registration, r))
                                      for r in people_of(p.request) if r != registration_id)) for change, p in items)
    for person_id, items in sorted(told.items()):
        person = next(r.person for r in registrations.values() if r.person_id == person_id)
        items.sort(key=lambda item: (item[1].starts_at or item[1].published_starts_at or utcnow(), item[1].id))
        send_mail(person.email, template="meeting_schedule", locale=supported_locale(person.locale), kind=KIND,
                  event_id=event.id, person=person, event=event, items=items,
                  at_a_stand=any(p.stand_id or p.published_stand_id for _, p, _ in items),
                  when=lambda starts, ends: _when(event, starts, ends), place=_place)


def _when(event: Event, starts: datetime, ends: datetime) -> str:
    """"mer. 2 juin, 14:00–14:20" in the reader's language (called as the mail is written, in hers)."""
    return f"{format_moment(starts, event.timezone, 'moment_day')}–{format_moment(ends, event.timezone, 'time')}"


def _place(table: MeetingTable | None, stand: Stand | None) -> str:
    if stand is not None:
        return _("stand %(number)s, in the demonstrator", number=stand.number)
    return table.name if table is not None else ""
