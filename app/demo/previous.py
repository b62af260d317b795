"""The demo summit's previous edition: Blois, June 2026, over and done.

It has what only a past edition has: check-ins at the door, the stands' scans (about 70 % of the published
plan's visits realised, and unplanned contacts), meetings on request held or missed (meetings_day.py), what came of the meetings in the months after (outcomes) and
the follow-up surveys sent so far. Many of its people come back in 2027 (previous_plan.py), so that they are
recognised from one edition to the next. Made with the same machinery as the upcoming edition, smaller.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import func, select

from app.badging.models import CheckIn
from app.demo.demonstrator import load_demonstrator
from app.demo.enrol import city_organisations, finish_people, make_delegations, register_all, set_capacities
from app.demo.follow_up import load_outcomes, load_surveys
from app.demo.hall_day import load_check_ins, load_scans
from app.demo.meetings_day import describe_previous_meetings, load_meeting_marks, load_previous_meetings
from app.demo.planner import Plan
from app.demo.previous_plan import plan_previous
from app.demonstrator.plans.planning import published_plan
from app.demonstrator.realised.matching import match, outcomes, tally
from app.demonstrator.realised.report import load_rows
from app.events.models import Event, EventStatus
from app.events.services import EventInput, create_event
from app.extensions import db
from app.leads.models import Lead
from app.outcomes.models import Outcome, SurveyInvitation
from app.registrations.models import Registration, RegistrationStatus

#: The upcoming demo edition's default short name, and its previous edition's.
UPCOMING_SLUG = "sommet-nevers-2027"
PREVIOUS_SLUG = "sommet-blois-2026"
#: Seconds to compute the previous edition's visit routes (always: its realised visits need a plan).
PLAN_SECONDS = 3

PREVIOUS_EDITION = dict(
    name="Sommet de l'innovation des villes moyennes — Blois 2026", city="Blois", country="FR",
    venue="Halle aux grains de Blois", timezone="Europe/Paris", starts_on=date(2026, 6, 10),
    ends_on=date(2026, 6, 11), languages="fr,en", status=EventStatus.OPEN,
    description="Deux jours de rencontres entre élus, décideurs et startups des villes moyennes francophones, "
                "à Blois : conférences et démonstrateur de solutions urbaines.",
    name_en="Mid-sized Cities Innovation Summit — Blois 2026",
    description_en="Two days of meetings between elected officials, decision makers and startups of French-speaking "
                   "mid-sized cities, in Blois: talks and a demonstrator of urban solutions.",
)


def previous_slug(slug: str) -> str:
    """The short name of the previous edition of the demo edition `slug`."""
    return PREVIOUS_SLUG if slug == UPCOMING_SLUG else f"{slug[:75].rstrip('-')}-2026"


def load_previous(slug: str, seed: int, current: Plan, *, actor_id: int, door_id: int) -> str:
    """Create the previous edition `slug` (closed: registrations over, summit held); returns it in a line.

    `current` is the upcoming edition's plan, whose people come back. Commits as it goes; the caller deletes
    a half-loaded edition if anything fails.
    """
    event = create_event(EventInput(slug=slug, **PREVIOUS_EDITION), actor_id=actor_id, organiser_id=actor_id)
    event.created_at = datetime(2025, 7, 1, 8, 0)  # set up before its registrations opened
    plan = plan_previous(seed, event.days, [t.code for t in event.themes], current)
    city_organisations(plan)
    register_all(event, plan, actor_id=actor_id)
    finish_people(event, plan, actor_id=actor_id)
    make_delegations(event, plan, actor_id=actor_id)
    set_capacities(event)
    db.session.commit()
    # The routes are computed once the meetings are known: the meetings at the stands are visits of them.
    load_demonstrator(event, seed + 2026, actor_id=actor_id, plan_seconds=0)
    load_previous_meetings(event, seed, organiser_id=actor_id, plan_seconds=PLAN_SECONDS)
    plan_of_the_day = published_plan(event)  # computed and published the week before the summit
    plan_of_the_day.created_at = datetime(2026, 6, 3, 14, 0)
    plan_of_the_day.published_at = datetime(2026, 6, 3, 15, 30)
    db.session.commit()
    load_check_ins(event, seed, door_id=door_id)
    load_scans(event, seed)  # a stand's scan of the official it met marks the meeting held
    load_meeting_marks(event, seed)
    load_outcomes(event, seed, organiser_id=actor_id)
    load_surveys(event, seed)
    event.status = EventStatus.CLOSED
    db.session.commit()
    return describe_previous(event)


def describe_previous(event: Event) -> str:
    """What the previous edition holds, in a line, counted from the database."""
    registrations = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id))
    confirmed = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))
    check_ins = db.session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id))
    contacts = db.session.scalar(select(func.count()).select_from(Lead).where(Lead.event_id == event.id))
    visits, scans, _ = load_rows(event, published_plan(event))
    planned_realised = tally(*outcomes(match(visits, scans), event.timezone))
    kinds = Counter(db.session.scalars(select(Outcome.kind).where(Outcome.event_id == event.id)))
    waves = Counter(db.session.scalars(select(SurveyInvitation.wave).where(
        SurveyInvitation.event_id == event.id, SurveyInvitation.sent_at.is_not(None))))
    answered = db.session.scalar(select(func.count()).select_from(SurveyInvitation).where(
        SurveyInvitation.event_id == event.id, SurveyInvitation.answered_at.is_not(None)))
    rate = f" ({planned_realised.rate:.0%})" if planned_realised.rate is not None else ""
    return (f"{event.slug} ({event.status.value}, {event.starts_on:%Y-%m-%d} to {event.ends_on:%Y-%m-%d}): "
            f"{registrations} registrations ({confirmed} confirmed), {check_ins} check-ins, "
            f"{len(scans)} scans ({contacts} contacts) realising {planned_realised.realised} of "
            f"{planned_realised.planned} planned visits{rate}, {planned_realised.unplanned} unplanned meetings; "
            f"{sum(kinds.values())} outcomes (" + ", ".join(f"{k.value} {n}" for k, n in sorted(kinds.items()))
            + "); surveys sent: " + (", ".join(f"{n} at {w} month{'s' if w > 1 else ''}"
                                               for w, n in sorted(waves.items())) or "none")
            + f", {answered} answered"
            + (f"; {meetings}" if (meetings := describe_previous_meetings(event)) else ""))
