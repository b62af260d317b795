"""Replications: a member city asks to replicate another city's project, the project's city and its startup answer,
then the asking city records the stages. Each change is one unit of work: a step of the history, a mail to the
other side through the outbox, an audit row, one commit."""
from __future__ import annotations

from sqlalchemy import select

from app.audit import services as audit
from app.core.i18n import supported_locale
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.extensions import db
from app.mail.services import send_mail
from app.network.errors import Conflict, NetworkError, NotAllowed, NotFound
from app.network.members.standing import Reader, member_cities_of
from app.network.members.standing import may_see as may_see_project
from app.network.models import (Agreement, Project, Replication, ReplicationStage, ReplicationStep)
from app.network.replication import sides
from app.network.replication.messages import STEPS
from app.people.models import OrganisationKind, Person

MAX_NOTE = 2000
#: The stages the asking city moves a replication through, in their order (DROPPED may come at any point).
STAGES = (ReplicationStage.IN_TOUCH, ReplicationStage.EXCHANGE, ReplicationStage.ADAPTED_PLAN,
          ReplicationStage.DEPLOYED)
#: What a person may decide on a replication: the project's city, the startup, the asking city before an answer.
DECISIONS = ("accept", "decline", "startup_accept", "startup_decline", "cancel")


def get_project(project_id: int, person) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or not may_see_project(Reader.of(person), project):
        raise NotFound("unknown_project")
    return project


def asking_cities(person, project: Project):
    """The member cities `person` may ask for: hers, other than the project's."""
    return [city for city in member_cities_of(person) if city.id != project.city_id]


def existing_request(project: Project, person) -> Replication | None:
    ids = [city.id for city in asking_cities(person, project)]
    if not ids:
        return None
    return db.session.scalar(select(Replication).where(Replication.project_id == project.id,
                                                       Replication.city_id.in_(ids)).limit(1))


def get_replication(replication_id: int, person) -> Replication:
    replication = db.session.get(Replication, replication_id)
    if replication is None or not sides.may_see(person, replication):
        raise NotFound("unknown_replication")
    return replication


def project_startup(project: Project):
    """The project's first startup partner that agreed to be named, if any."""
    return next((p.organisation for p in project.partners if p.agreement is Agreement.AGREED
                 and p.organisation.kind == OrganisationKind.STARTUP), None)


def _tell(people, template: str, replication: Replication, **context) -> None:
    for person in {p.id: p for p in people}.values():
        locale = supported_locale(person.locale)
        send_mail(person.email, template=template, locale=locale, kind="network_replication", lang=locale,
                  person=person, replication=replication, project=replication.project,
                  step_label=STEPS.get(context.get("step", ""), ""), **context)


def _step(replication: Replication, kind: str, person, note: str = "") -> ReplicationStep:
    step = ReplicationStep(kind=kind, note=note, by_id=person.id, at=utcnow())
    replication.steps.append(step)
    return step


def _note(text: str, field: str = "note") -> str:
    text = (text or "").strip()
    if len(text) > MAX_NOTE:
        raise NetworkError("too_long", field, max=MAX_NOTE, length=len(text))
    return text


def ask(project_id: int, person: Person, message: str, city_id: int | None = None) -> Replication:
    """The contact of a member city asks to replicate a project she may see; once per city."""
    with atomic():
        project = get_project(project_id, person)
        cities = asking_cities(person, project)
        if not cities:
            raise NotAllowed("not_member_contact")
        city = next((c for c in cities if c.id == city_id), None) if city_id is not None else cities[0]
        if city is None:
            raise NetworkError("unknown_city", "city_id")
        message = _note(message, "message")
        if db.session.scalar(select(Replication.id).where(Replication.project_id == project.id,
                                                          Replication.city_id == city.id)):
            raise Conflict("already_asked")
        startup = project_startup(project)
        replication = Replication(project=project, city=city, asked_by_id=person.id, message=message,
                                  startup_id=startup.id if startup else None,
                                  startup_answer=Agreement.PENDING if startup else None)
        db.session.add(replication)
        _step(replication, "asked", person, message)
        db.session.flush()
        project_people = [project.contact] if project.contact else sides.city_contacts(project.city)
        _tell(project_people, "network_replication_asked", replication, for_startup=False)
        if startup is not None:
            _tell(sides.startup_people(startup), "network_replication_asked", replication, for_startup=True)
        audit.record("network.replication.ask", actor_id=person.id, obj=replication,
                     details={"project": project.id, "city": city.id})
    return replication


def decide(replication_id: int, person: Person, decision: str, reason: str = "") -> Replication:
    """The project's city accepts or declines, the startup accepts or declines for itself, the asking city
    cancels before an answer. Answering twice: Conflict."""
    with atomic():
        replication = get_replication(replication_id, person)
        if decision not in DECISIONS:
            raise NetworkError("bad_decision", "decision")
        reason = _note(reason, "reason")
        if replication.is_cancelled:
            raise Conflict("cancelled")
        now = utcnow()
        if decision in ("accept", "decline"):
            if not sides.may_answer_for_city(person, replication):
                raise NotAllowed("not_project_city")
            if replication.answer is not Agreement.PENDING:
                raise Conflict("already_answered")
            replication.answer = Agreement.AGREED if decision == "accept" else Agreement.DECLINED
            replication.answer_reason, replication.answered_at = reason, now
            if decision == "accept":
                replication.stage = ReplicationStage.IN_TOUCH
            kind = "accepted" if decision == "accept" else "declined"
            told, side = sides.city_contacts(replication.city), replication.project.city.name
        elif decision in ("startup_accept", "startup_decline"):
            if not sides.is_startup_side(person, replication):
                raise NotAllowed("not_startup")
            if replication.startup_answer is not Agreement.PENDING:
                raise Conflict("already_answered")
            agreed = decision == "startup_accept"
            replication.startup_answer = Agreement.AGREED if agreed else Agreement.DECLINED
            replication.startup_answered_at = now
            kind = "startup_agreed" if agreed else "startup_declined"
            told, side = sides.city_contacts(replication.city), replication.startup.name
        else:
            if not sides.may_act_for_asking_city(person, replication):
                raise NotAllowed("not_asking_city")
            if replication.answer is not Agreement.PENDING:
                raise Conflict("already_answered")
            replication.is_cancelled = True
            kind = "cancelled"
            told = sides.city_contacts(replication.project.city) + sides.startup_people(replication.startup)
            side = replication.city.name
        _step(replication, kind, person, reason)
        _tell(told, "network_replication_step", replication, step=kind, note=reason, side=side)
        audit.record(f"network.replication.{kind}", actor_id=person.id, obj=replication,
                     details={"with_reason": bool(reason)})
    return replication


def move(replication_id: int, person: Person, stage: str, note: str = "") -> Replication:
    """The asking city records a stage reached (or that it dropped the replication), with a note."""
    with atomic():
        replication = get_replication(replication_id, person)
        try:
            target = ReplicationStage(stage)
        except ValueError:
            raise NetworkError("bad_stage", "stage") from None
        note = _note(note)
        if not sides.may_act_for_asking_city(person, replication):
            raise NotAllowed("not_asking_city")
        if replication.answer is not Agreement.AGREED or replication.is_cancelled:
            raise Conflict("not_accepted")
        if replication.stage in (ReplicationStage.DROPPED, ReplicationStage.DEPLOYED):
            raise Conflict("finished")
        if target == replication.stage:
            raise Conflict("same_stage")
        replication.stage = target
        _step(replication, target.value, person, note)
        _tell(sides.city_contacts(replication.project.city), "network_replication_step", replication,
              step=target.value, note=note, side=replication.city.name)
        audit.record("network.replication.stage", actor_id=person.id, obj=replication,
                     details={"stage": target.value})
    return replication
