"""What the replication pages list: a person's inbox, a project's or a city's replications, the demand for a
startup, and the network-wide figures of where replications stand and where they stall."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.network.members.standing import cities_of, member_cities_of
from app.network.models import (Agreement, Consortium, ConsortiumStatus, NetworkCity, Project, Replication,
                                ReplicationStage, ReplicationStep, consortium_member)
from app.network.replication.sides import startup_ids_of

#: Where a replication stands, for lists: the stage once accepted, else its answer.
STATE_ORDER = ("pending", "declined", "cancelled", *(s.value for s in ReplicationStage))


def state(replication: Replication) -> str:
    if replication.is_cancelled:
        return "cancelled"
    if replication.answer is Agreement.DECLINED:
        return "declined"
    if replication.answer is Agreement.PENDING:
        return "pending"
    return (replication.stage or ReplicationStage.IN_TOUCH).value


def is_live(replication: Replication) -> bool:
    """Not declined nor cancelled."""
    return state(replication) not in ("declined", "cancelled")


@dataclass
class Inbox:
    to_answer: list[Replication] = field(default_factory=list)
    sent: list[Replication] = field(default_factory=list)
    in_progress: list[Replication] = field(default_factory=list)
    startup: list[Replication] = field(default_factory=list)
    #: Replications each member city of the reader is a side of, for the other lists' "nothing" sentences.
    is_contact: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.to_answer or self.sent or self.in_progress or self.startup)


#: What the lists and timelines show of each replication, loaded with it rather than once per row.
LIST_LOADS = (
    selectinload(Replication.project).options(
        selectinload(Project.city).joinedload(NetworkCity.organisation)),
    selectinload(Replication.city).joinedload(NetworkCity.organisation),
    selectinload(Replication.steps),
)


def _newest(query):
    return list(db.session.scalars(query.options(*LIST_LOADS)
                                   .order_by(Replication.created_at.desc(), Replication.id.desc())))


def inbox(person) -> Inbox:
    box = Inbox(is_contact=bool(cities_of(person)))
    mine = [c.id for c in member_cities_of(person)]
    if mine:
        theirs = select(Project.id).where(Project.city_id.in_(mine))
        box.to_answer = _newest(select(Replication).where(
            Replication.project_id.in_(theirs), Replication.answer == Agreement.PENDING,
            Replication.is_cancelled.is_(False)))
        box.sent = _newest(select(Replication).where(
            Replication.city_id.in_(mine), Replication.answer == Agreement.PENDING))
        box.in_progress = _newest(select(Replication).where(
            or_(Replication.city_id.in_(mine), Replication.project_id.in_(theirs)),
            Replication.answer == Agreement.AGREED, Replication.is_cancelled.is_(False)))
    startups = startup_ids_of(person)
    if startups:
        box.startup = _newest(select(Replication).where(Replication.startup_id.in_(startups)))
    return box


def of_project(project: Project) -> list[Replication]:
    return _newest(select(Replication).where(Replication.project_id == project.id))


def of_city(city: NetworkCity) -> list[Replication]:
    """The replications a city asked for, and those of its projects, not declined nor cancelled."""
    found = _newest(select(Replication).where(or_(
        Replication.city_id == city.id, Replication.project_id.in_(select(Project.id).where(
            Project.city_id == city.id)))))
    return [r for r in found if is_live(r)]


def of_startup(organisation_id: int) -> list[Replication]:
    return [r for r in _newest(select(Replication).where(Replication.startup_id == organisation_id)) if is_live(r)]


def consortia_of_startup(organisation_id: int) -> list[Consortium]:
    return list(db.session.scalars(select(Consortium).where(
        Consortium.startup_id == organisation_id, Consortium.status != ConsortiumStatus.DISSOLVED)
        .order_by(Consortium.created_at.desc())))


def consortia_of_city(city: NetworkCity) -> list[Consortium]:
    return list(db.session.scalars(select(Consortium).where(Consortium.id.in_(
        select(consortium_member.c.consortium_id).where(consortium_member.c.city_id == city.id)))
        .order_by(Consortium.created_at.desc())))


def by_state(replications) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for replication in replications:
        counts[state(replication)] = counts.get(state(replication), 0) + 1
    return [(name, counts[name]) for name in STATE_ORDER if name in counts]


def _stalls() -> dict[str, int]:
    """Where the dropped replications stopped: the last stage step each reached before "dropped" (in touch when
    none), counted in the database."""
    reached = [s.value for s in ReplicationStage if s is not ReplicationStage.DROPPED]
    dropped = select(Replication.id).where(Replication.stage == ReplicationStage.DROPPED)
    last = (select(func.max(ReplicationStep.id).label("id"))
            .where(ReplicationStep.replication_id.in_(dropped), ReplicationStep.kind.in_(reached))
            .group_by(ReplicationStep.replication_id).subquery())
    stalls = dict(db.session.execute(select(ReplicationStep.kind, func.count())
                                     .where(ReplicationStep.id.in_(select(last.c.id)))
                                     .group_by(ReplicationStep.kind)).all())
    total = db.session.scalar(select(func.count()).select_from(dropped.subquery()))
    in_touch = ReplicationStage.IN_TOUCH.value
    stalls[in_touch] = stalls.get(in_touch, 0) + total - sum(stalls.values())
    return stalls


def figures() -> dict:
    """Network-wide: how many replications at each state, and where the dropped ones stopped (the last stage
    they reached before "dropped")."""
    counts = dict(db.session.execute(select(Replication.stage, func.count()).where(
        Replication.answer == Agreement.AGREED, Replication.is_cancelled.is_(False))
        .group_by(Replication.stage)).all())
    pending = db.session.scalar(select(func.count()).select_from(Replication).where(
        Replication.answer == Agreement.PENDING, Replication.is_cancelled.is_(False)))
    declined = db.session.scalar(select(func.count()).select_from(Replication).where(
        Replication.answer == Agreement.DECLINED))
    stalls = _stalls()
    stages = [(s.value, counts.get(s, 0)) for s in ReplicationStage]
    return {"pending": pending, "declined": declined, "stages": stages,
            "stalls": [(s.value, stalls.get(s.value, 0)) for s in ReplicationStage
                       if s is not ReplicationStage.DROPPED]}
