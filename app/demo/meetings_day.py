"""The previous edition's meetings on request (issue 29), and what the day said of them.

Before Blois, officials and startups asked to meet, and companies asked officials: the requests (accepted, dated in
May 2026) are written as rows, like the upcoming edition's (meetings.py). "Place all meetings" then computes the
routes with the meetings at the stands in them and places the others at the tables, and the organisers publish both
the week before the summit (the placement's own services, telling nobody: a demo's history).

On the day, the stands' scans (hall_day.py, through the lead recording service) mark the stand meetings whose
official was scanned held, by scan (the agenda room's hook on scans). Afterwards (`load_meeting_marks`), people
said how the others went on their phones: held, or a no-show when the other side had not come (a side that never
checked in did not come), some never said anything. Deterministic from the seed, but for the routes, computed for a
set time (as the visit plan always was).
"""
from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.badging.models import CheckIn
from app.demo.meetings import MESSAGES, PAIRS
from app.demonstrator.plans import editing, planning
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.meetings.agenda import figures as meeting_figures
from app.meetings.agenda import marks, schedule
from app.meetings.placement import placing, publishing
from app.meetings.placement.availability import routes_plan
from app.meetings.placement.models import MeetingPlacement, PlacementRun
from app.meetings.requests import rules
from app.meetings.requests import settings as meeting_settings
from app.meetings.requests.models import MeetingParticipant, MeetingRequest, RequestStatus, Side
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus

#: The meeting sessions: (day of the edition, from, to), local time; tables of the meetings area.
SESSIONS = [(0, time(14), time(17, 30)), (1, time(9, 30), time(12))]
TABLES = "12"
#: Accepted requests of officials and startups (met at the stands) and of companies (met at the tables).
AT_STANDS, AT_TABLES = 40, 30
MOST_PER_PERSON = 3
ASKED_FROM, ASKED_UNTIL = datetime(2026, 5, 4, 8), datetime(2026, 5, 31, 18)
#: The placement was computed and published the week before the summit, with the visit plan.
PUBLISHED_AT = datetime(2026, 6, 3, 15, 30)
#: Of the meetings nobody's scan marked: said held, said a no-show (on top of those a side never came to), nothing.
SAID_HELD, SAID_NO_SHOW = 0.6, 0.1


def load_previous_meetings(event: Event, seed: int, *, organiser_id: int, plan_seconds: float) -> None:
    """Settings, accepted requests, their placement with the routes, published. Commits."""
    rng = random.Random(seed * 41 + 17)
    ids = {c.code.value: c.id for c in event.categories}
    meeting_settings.save_settings(event, meeting_settings.SettingsInput(
        is_open=False, acceptance="needs_acceptance", slot_minutes=20, max_per_session=4, expiry_days=14,
        tables=TABLES, pairs=tuple((ids[a], ids[b]) for a, b in PAIRS)), actor_id=organiser_id)
    for offset, start, end in SESSIONS:
        meeting_settings.add_session(event, event.days[offset], start, end, actor_id=organiser_id)
    people = list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
                                   Registration.team_lead_id.is_(None), Registration.consent_directory.is_(True))
        .options(selectinload(Registration.category), selectinload(Registration.themes),
                 selectinload(Registration.delegation)).order_by(Registration.id)))
    by_code: dict[CategoryCode, list[Registration]] = {}
    for registration in people:
        by_code.setdefault(registration.category.code, []).append(registration)
    officials = by_code.get(CategoryCode.ELU, []) + by_code.get(CategoryCode.DECIDEUR, [])
    counts: Counter[int] = Counter()
    pairs: set[frozenset[int]] = set()
    for wanted, askers in ((AT_STANDS, by_code.get(CategoryCode.STARTUP, [])),
                           (AT_TABLES, by_code.get(CategoryCode.ENTREPRISE, []))):
        made = 0
        for _attempt in range(wanted * 40):
            if made == wanted or not askers or not officials:
                break
            other, official = rng.choice(askers), rng.choice(officials)
            if frozenset((other.id, official.id)) in pairs or max(counts[other.id], counts[official.id]) >= \
                    MOST_PER_PERSON or not set(other.days or []) & set(official.days or []):
                continue
            # An official asks a startup as often as the other way round; a company always asks.
            asks = official if other.category.code == CategoryCode.STARTUP and rng.random() < 0.5 else other
            db.session.add(_accepted(rng, event, asks, official if asks is other else other))
            pairs.add(frozenset((other.id, official.id)))
            counts.update([other.id, official.id])
            made += 1
    db.session.commit()
    placing.place_all(event, time_limit=plan_seconds, seed=seed, actor_id=organiser_id)
    if routes_plan(event) is None:  # no meeting at a stand came out of the draw: the routes are computed alone
        plan = planning.request_plan(event, planning.PlanRequest(time_limit=plan_seconds), actor_id=organiser_id,
                                     seed=seed, background=False)
        editing.publish(plan, actor_id=organiser_id, notify_people=False)
        placing.place_all(event, time_limit=plan_seconds, seed=seed, actor_id=organiser_id)
    publishing.publish(event, actor_id=organiser_id, notify_people=False)
    run = db.session.get(PlacementRun, event.id)
    run.placed_at, run.published_at = PUBLISHED_AT - timedelta(hours=1), PUBLISHED_AT
    for placement in db.session.scalars(select(MeetingPlacement).where(MeetingPlacement.event_id == event.id)):
        placement.published_at = PUBLISHED_AT if placement.is_published else None
    db.session.commit()


def _accepted(rng: random.Random, event: Event, requester: Registration, recipient: Registration) -> MeetingRequest:
    created = ASKED_FROM + timedelta(minutes=rng.randint(0, int((ASKED_UNTIL - ASKED_FROM).total_seconds() // 60)))
    answered = created + timedelta(minutes=rng.randint(30, 3 * 24 * 60))
    reason = rng.choices(list(MESSAGES), weights=[45, 15, 15, 15, 10])[0]
    request = MeetingRequest(event_id=event.id, requester=requester, recipient=recipient, reason=reason,
                             message=rng.choice(MESSAGES[reason]), status=RequestStatus.ACCEPTED, created_at=created,
                             expires_at=created + timedelta(days=14), answered_at=answered,
                             answered_by_id=recipient.person_id, updated_at=answered)
    for side, registration in ((Side.REQUESTER, requester), (Side.RECIPIENT, recipient)):
        companions = rules.companions(registration)
        if companions and rng.random() < 0.25:  # a member of her delegation comes along
            request.participants.append(MeetingParticipant(registration_id=rng.choice(companions).id, side=side,
                                                           added_by_id=registration.person_id, added_at=answered))
    return request


def load_meeting_marks(event: Event, seed: int) -> int:
    """What people said of their meetings after the stands' scans (see the module); returns the marks made."""
    rng = random.Random(seed * 43 + 19)
    arrived = dict(db.session.execute(select(CheckIn.registration_id, CheckIn.at).where(CheckIn.event_id == event.id))
                   .all())
    made = 0
    for placement in schedule.published_meetings(event.id):
        if placement.marks:  # the stand scanned the official: held
            continue
        came = {side: [r for r in schedule.people_of_side(placement, side)
                       if r.id in arrived and arrived[r.id] <= placement.published_ends_at] for side in Side}
        draw = rng.random()
        if not came[Side.REQUESTER] or not came[Side.RECIPIENT]:
            present = next((side for side in Side if came[side]), None)
            if present is None or draw >= 0.8:
                continue
            word, side = "no_show", present
        elif draw < SAID_HELD:
            word, side = "held", rng.choice(list(Side))
        elif draw < SAID_HELD + SAID_NO_SHOW:
            word, side = "no_show", rng.choice(list(Side))
        else:
            continue
        by = rng.choice(came[side])
        at = placement.published_ends_at + timedelta(minutes=rng.randint(1, 180))
        marks.mark_meeting(event, placement.id, mark=word, side=side.value, actor=db.session.get(Person, by.person_id),
                           now=at)
        made += 1
    return made


def describe_previous_meetings(event: Event) -> str:
    """The edition's meetings on request in a line, counted from the database."""
    found = meeting_figures.meeting_figures(event).total
    if not found.planned:
        return ""
    return (f"{found.planned} meetings on request published ({found.at_stands} at stands, {found.at_tables} at "
            f"tables): {found.held} held ({found.held_by_scan} by a scan), {found.no_show} no-shows, "
            f"{found.unmarked} not marked")
