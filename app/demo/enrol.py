"""Writing a planned edition's registrations through the registration services, without e-mails: the
cities' organisations, the registrations in a few batches, what register() does not set, delegations."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.audit import services as audit
from app.auth.models import EventRole, RoleName
from app.core.french import de
from app.core.transaction import atomic
from app.demo import data
from app.demo.planner import Detail, Lead, Plan, city_organisation_name
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.people.models import Organisation, OrganisationKind, Person
from app.registrations import delegations
from app.registrations.models import Registration, RegistrationStatus
from app.registrations.services import register

#: `Registration.source` of every demo registration.
DEMO_SOURCE = "demo"
#: Registrations written in one unit of work (each commit expires the session, which costs a reload).
BATCH_SIZE = 500


def city_organisations(plan: Plan) -> None:
    """One organisation per city (kind collectivite, with its population), found by register()."""
    cities = {lead.city.name: lead.city for lead in plan.leads if lead.city is not None}
    names = {city_organisation_name(c): c for c in cities.values()}
    known = set(db.session.scalars(select(Organisation.name).where(
        Organisation.kind == OrganisationKind.COLLECTIVITE, Organisation.name.in_(names))))
    for name, city in names.items():
        if name not in known:
            db.session.add(Organisation(
                name=name, kind=OrganisationKind.COLLECTIVITE, country=data.COUNTRIES[city.country].code,
                city=city.name, territory=city.region, population=city.population))
    db.session.flush()


def register_all(event: Event, plan: Plan, *, actor_id: int) -> None:
    """Register every lead (teams come along), with the status the plan gives, and no e-mail."""
    for start in range(0, len(plan.leads), BATCH_SIZE):
        with atomic():  # register() joins it: one commit per batch, not one per registration
            for lead in plan.leads[start:start + BATCH_SIZE]:
                # register() flushes each person itself; autoflushing before its look-ups too only costs time.
                with db.session.no_autoflush:
                    register(event, lead.data, source=DEMO_SOURCE, actor_id=actor_id, notify=False,
                             status=lead.status)


def finish_people(event: Event, plan: Plan, *, actor_id: int) -> None:
    """Spread the dates over the registration period; phones of team members; city staff; exhibitors."""
    city_orgs = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.COLLECTIVITE))}
    lead_of = {lead.data.email: lead for lead in plan.leads}
    # Newer register() grants a confirmed startup's staff their role itself; grant only what is missing.
    exhibitors = set(db.session.scalars(select(EventRole.person_id).where(
        EventRole.event_id == event.id, EventRole.role == RoleName.EXHIBITOR)))
    rows = db.session.execute(
        select(Registration, Person).join(Person, Registration.person_id == Person.id)
        .where(Registration.event_id == event.id)
    ).all()
    with db.session.no_autoflush:  # one flush at the commit below, not one per lazy load
        for registration, person in rows:
            _finish_one(event, registration, person, plan.details[person.email], lead_of.get(person.email),
                        city_orgs, exhibitors)
    audit.record("role.grant", actor_id=actor_id, event_id=event.id,
                 details={"role": RoleName.EXHIBITOR.value, "people": sorted(exhibitors), "source": "demo"})
    db.session.commit()


def _finish_one(event: Event, registration: Registration, person: Person, detail: Detail, lead: Lead | None,
                city_orgs: dict[str, Organisation], exhibitors: set[int]) -> None:
    at = detail.created_at
    person.created_at = at
    person.phone = detail.phone
    if detail.team_job_title:
        person.job_title = registration.job_title = detail.team_job_title
    registration.created_at = registration.updated_at = registration.consent_updated_at = at
    if registration.status == RegistrationStatus.CONFIRMED:
        needs_approval = registration.category.requires_approval
        registration.confirmed_at = at + (timedelta(days=(at.day % 5) + 1) if needs_approval else timedelta())
    elif registration.status == RegistrationStatus.CANCELLED:
        registration.cancel_reason = "cancelled"
        registration.cancelled_at = registration.updated_at = at + timedelta(days=(at.minute % 20) + 3)
    if lead is not None and lead.city is not None and lead.data.category == CategoryCode.DECIDEUR:
        # register() files a décideur under an institution; a city's staff belong to the city itself.
        registration.organisation = person.organisation = city_orgs[city_organisation_name(lead.city)]
    if detail.is_exhibitor and registration.status == RegistrationStatus.CONFIRMED and person.id not in exhibitors:
        # Only accepted startups hold a stand; `exhibitors` spares grant_role's lookup per person.
        db.session.add(EventRole(event_id=event.id, person_id=person.id, role=RoleName.EXHIBITOR,
                                 organisation_id=registration.organisation_id))
        exhibitors.add(person.id)


def make_delegations(event: Event, plan: Plan, *, actor_id: int) -> None:
    """One delegation per city of the plan, members in protocol order (the head of the delegation first)."""
    ids = {email: (registration_id, organisation_id) for email, registration_id, organisation_id in db.session.execute(
        select(Person.email, Registration.id, Registration.organisation_id).join(Person)
        .where(Registration.event_id == event.id))}
    by_city: dict[str, list[Lead]] = {}
    for lead in plan.leads:
        if lead.delegation:
            by_city.setdefault(lead.delegation, []).append(lead)
    with atomic():  # the delegation services join it: one commit for them all
        for city_name, members in by_city.items():
            members.sort(key=lambda lead: lead.protocol)  # stable: the head of the delegation stays first
            delegation = delegations.create_delegation(event, f"Délégation {de(city_name)}", actor_id=actor_id,
                                                       organisation_id=ids[members[0].data.email][1])
            coordinator = next(ids[m.data.email][0] for m in members if m.is_coordinator)
            delegations.set_members(event, delegation, [ids[m.data.email][0] for m in members], coordinator,
                                    actor_id=actor_id)


def set_capacities(event: Event) -> None:
    """Cap the categories that have a waiting list at their active registrations, so it makes sense."""
    for category in event.categories:
        counts = dict(db.session.execute(
            select(Registration.status, func.count()).where(Registration.category_id == category.id)
            .group_by(Registration.status)).all())
        if counts.get(RegistrationStatus.WAITLISTED):
            category.capacity = counts.get(RegistrationStatus.CONFIRMED, 0) + counts.get(RegistrationStatus.PENDING, 0)
