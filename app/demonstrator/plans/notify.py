"""Tell officials and startups that their visit route changed when a plan is published.

What changes, and who is told, is computed from the two plans' stored visits (a few column queries), so the
plan page can say it before the organiser publishes. The notices themselves are written by a background job
(`visits.notify`): the publish request only stores the new status and hands the job over. The job writes all
its notices in one unit of work with its result, so a job whose worker dies has written none and runs again
from the start: every person is told once.

A tour slot the new plan leaves free (too few stands for a tour, free.py) is news too: the official is told,
and her notice lists it as free, even when the plan gives her no visit at all.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select

from app.demonstrator.plans.free import free_by_visitor, free_slots, newly_free
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.extensions import db
from app.jobs.models import Job
from app.jobs.registry import RUN_AGAIN, JobError, job_handler
from app.jobs.services import start_job
from app.mail.services import send_mail
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus

JOB_KIND = "visits.notify"

#: (visitor key, startup registration id, start in whole minutes): a visit as the people concerned see it.
VisitKey = tuple[str, "int | None", int]


@dataclass(frozen=True)
class Changes:
    """What publishing `plan` over `previous` changes, and who is told."""

    plan_id: int
    previous_id: int | None
    visits: frozenset          # the visits added or gone (VisitKey)
    free: frozenset            # the tour slots newly left free: (visitor key, start)
    num_routes: int            # officials and delegations whose route changes
    num_routes_moved: int      # ... of which a published visit moves or goes (the others only gain visits)
    num_briefings: int         # startups whose visitors change
    num_people: int            # people told by e-mail

    @property
    def num_visits(self) -> int:
        return len(self.visits)

    @property
    def affected(self) -> list[str]:
        """The visitor keys ("d12", "r7") and startups ("s40") whose route or briefing changes."""
        return sorted({v for v, _, _ in self.visits} | {v for v, _ in self.free}
                      | {f"s{s}" for _, s, _ in self.visits if s is not None})


def visit_keys(plan_id: int | None) -> set[VisitKey]:
    if plan_id is None:
        return set()
    # Through the connection, not the ORM: plain tuples of a few thousand rows, in half the time (the plan page
    # says what publishing a draft changes on every view).
    rows = db.session.connection().execute(select(PlannedVisit.visitor_key, PlannedVisit.startup_id,
                                                  PlannedVisit.start).where(PlannedVisit.plan_id == plan_id))
    # The minute people read: a visit of an older plan at 14:00:34 and the same visit on whole minutes at 14:01
    # are one visit, not a change to tell everyone about.
    return {(key, startup, math.ceil(start - 1e-6)) for key, startup, start in rows}


def published_id(event_id: int) -> int | None:
    return db.session.scalar(select(VisitPlan.id).where(VisitPlan.event_id == event_id,
                                                        VisitPlan.status == PlanStatus.PUBLISHED))


def changes(plan: VisitPlan, previous_id: int | None) -> Changes:
    """What publishing `plan` over the plan `previous_id` (None: nothing published) changes."""
    before = set() if previous_id == plan.id else visit_keys(previous_id)
    after = set() if previous_id == plan.id else visit_keys(plan.id)
    changed = before ^ after
    free = newly_free(plan.id, previous_id)
    people = recipients(plan.event_id, changed, {v for v, _ in free})
    return Changes(plan.id, previous_id, frozenset(changed), frozenset(free),
                   num_routes=len({v for v, _, _ in changed} | {v for v, _ in free}),
                   num_routes_moved=len({v for v, _, _ in before - after}),
                   num_briefings=len({s for _, s, _ in changed if s is not None}), num_people=len(people))


def preview(plan: VisitPlan) -> Changes:
    """What publishing `plan` now would change (the plan page and the confirmation say it before the click)."""
    return changes(plan, published_id(plan.event_id))


def recipients(event_id: int, changed: set[VisitKey], free_keys: Iterable[str] = ()) -> dict[int, str]:
    """person id -> "route" or "briefing": the confirmed officials of each changed route or newly free slot
    (all the confirmed members of a delegation), then each changed startup and its team. Two column queries
    at most."""
    routes = {key for key, _, _ in changed} | set(free_keys)
    delegations = {int(key[1:]) for key in routes if key.startswith("d")}
    officials = {int(key[1:]) for key in routes if key.startswith("r")}
    startups = {startup for _, startup, _ in changed if startup is not None}
    confirmed = (Registration.event_id == event_id) & (Registration.status == RegistrationStatus.CONFIRMED)
    people: dict[int, str] = {}
    if delegations or officials:
        for person_id in db.session.scalars(select(Registration.person_id).where(
                or_(Registration.delegation_id.in_(delegations), Registration.id.in_(officials)), confirmed)):
            people[person_id] = "route"
    if startups:
        # The startup and its team: every one of them can open the briefing.
        for person_id in db.session.scalars(select(Registration.person_id).where(
                or_(Registration.id.in_(startups), Registration.team_lead_id.in_(startups)), confirmed)):
            people.setdefault(person_id, "briefing")
    return people


def start_notices(plan: VisitPlan, previous_id: int | None, *, actor_id: int | None) -> Job:
    """Hand the notices of publishing `plan` to the job queue (a step of the caller's unit of work: the job is
    queued once the publication is committed, never if it is rolled back). One job per publication."""
    return start_job(JOB_KIND, params={"plan_id": plan.id, "previous_id": previous_id}, event_id=plan.event_id,
                     created_by_id=actor_id, dedupe_key=f"visits-notify-{plan.id}")


@job_handler(JOB_KIND, on_interrupted=lambda job: RUN_AGAIN)
def send_notices_job(job: Job, report) -> dict:
    """Write one notice per person concerned. Nothing is committed before the end (report comes first), so a
    retry or a run after a crash starts from a clean slate and tells each person once."""
    plan = db.session.get(VisitPlan, (job.params or {}).get("plan_id") or 0)
    if plan is None:
        raise JobError("This plan no longer exists: nobody was told.")
    previous_id = job.params.get("previous_id")
    report(0.0, "")
    found = changes(plan, previous_id)
    told = send_notices(plan, previous_id, found)
    return {"plan_id": plan.id, "version": plan.version, "people": told, "routes": found.num_routes,
            "briefings": found.num_briefings}


def send_notices(plan: VisitPlan, previous_id: int | None, found: Changes) -> int:
    """One message per affected person, an official's with the slots the plan leaves free for her; returns how
    many were written."""
    what = "changed" if previous_id is not None else "ready"
    people = recipients(plan.event_id, set(found.visits), {v for v, _ in found.free})
    event = plan.event
    persons = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(people)))}
    free = free_by_visitor(plan.id)
    routed = [person_id for person_id, page in people.items() if page == "route"]
    officials = {r.person_id: r for r in db.session.scalars(select(Registration).where(
        Registration.event_id == plan.event_id, Registration.person_id.in_(routed)))} if free else {}
    for person_id, page in sorted(people.items()):
        person = persons[person_id]
        registration = officials.get(person_id)
        send_mail(person.email, template="visits_changed", locale=person.locale, kind=f"visits_{what}",
                  event_id=plan.event_id, person=person, event=event, what=what, page=page,
                  free=free_slots(registration, plan.id, free) if registration is not None else [])
    return len(people)
