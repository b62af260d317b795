"""Tell officials and startups that their visit route changed when a plan is published."""
from __future__ import annotations

from sqlalchemy import or_, select

from app.demonstrator.plans.models import VisitPlan
from app.extensions import db
from app.mail.services import send_mail
from app.registrations.models import Registration, RegistrationStatus


def route_changes(plan: VisitPlan, previous: VisitPlan | None, changed: set[tuple[str, int | None, float]]) -> None:
    """One message per affected person: the officials of each changed route, and each startup's lead."""
    what = "changed" if previous is not None else "ready"
    visitor_keys = {key for key, _, _ in changed}
    startup_ids = {startup for _, startup, _ in changed if startup is not None}
    people: dict[int, tuple] = {}
    for key in sorted(visitor_keys):
        kind, ident = key[0], int(key[1:])
        column = Registration.delegation_id if kind == "d" else Registration.id
        for reg in db.session.scalars(select(Registration).where(
                column == ident, Registration.event_id == plan.event_id,
                Registration.status == RegistrationStatus.CONFIRMED)):
            people[reg.person_id] = (reg, "route")
    # The startup and its team: every one of them can open the briefing.
    for reg in db.session.scalars(select(Registration).where(
            or_(Registration.id.in_(startup_ids), Registration.team_lead_id.in_(startup_ids)),
            Registration.status == RegistrationStatus.CONFIRMED)):
        people.setdefault(reg.person_id, (reg, "briefing"))
    for _, (reg, page) in sorted(people.items()):
        person = reg.person
        send_mail(person.email, template="visits_changed", locale=person.locale, kind=f"visits_{what}",
                  event_id=plan.event_id, person=person, event=plan.event,
                  what=what, page=page)
