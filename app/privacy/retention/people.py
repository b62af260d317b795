"""People not seen for N years (RETENTION_PEOPLE_YEARS), erased through the subject's erasure.

A person's last sign is the latest of: the last day of the newest edition where a row points to her (a
registration, a role at the edition -- organiser, exhibitor staff, door volunteer --, a meeting, a check-in she
made, an audit row of her doing...: every table with an edition that points to person.id, read from the foreign
keys, so a table added later counts without this module knowing it), her last login, her account's creation.
She is past the boundary when that last sign is strictly before `today - N years`.

Never past it, whatever their dates: platform staff, and the people the network names, whose role is above the
editions (network organisers, a member city's official or staff contact, a project's contact): the network
between summits is why they are there. Their removal is a staff decision (an erasure on request), not a timer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, union

from app.events.models import Event
from app.extensions import db
from app.network.models import NetworkCity, NetworkOrganiser, Project
from app.people.merging import person_references
from app.people.models import Person
from app.privacy.retention.boundaries import start_of, years_before
from app.privacy.subject.people import ERASED_DOMAIN

from app.privacy.subject.erasure import erase_person

#: The reason an erasure by retention gives (in its own audit row).
REASON = "retention"


@dataclass(frozen=True)
class PastPerson:
    person_id: int
    #: The day of her last sign (see the module's docstring).
    last_seen: date


def _kept_by_role():
    """Ids of the people never erased by retention: the network's named people (platform staff aside)."""
    return union(select(NetworkOrganiser.person_id),
                 select(NetworkCity.official_contact_id).where(NetworkCity.official_contact_id.is_not(None)),
                 select(NetworkCity.staff_contact_id).where(NetworkCity.staff_contact_id.is_not(None)),
                 select(Project.contact_id).where(Project.contact_id.is_not(None)))


def newest_editions() -> dict[int, date]:
    """Person id -> the last day of the newest edition where a row points to her."""
    newest: dict[int, date] = {}
    for reference in person_references():
        event_column = reference.event_column
        if event_column is None:
            continue
        rows = db.session.execute(
            select(reference.column, func.max(Event.ends_on))
            .select_from(reference.table.join(Event.__table__, Event.id == event_column))
            .where(reference.column.is_not(None)).group_by(reference.column))
        for person_id, ends_on in rows:
            if person_id not in newest or ends_on > newest[person_id]:
                newest[person_id] = ends_on
    return newest


def people_past(now: datetime, years: int) -> list[PastPerson]:
    """The people whose last sign is strictly before `years` years before `now`'s day, by id."""
    boundary = years_before(now, years)
    start = start_of(boundary)
    candidates = db.session.execute(
        select(Person.id, Person.created_at, Person.last_login_at)
        .where(Person.is_staff.is_(False), Person.created_at < start,
               Person.last_login_at.is_(None) | (Person.last_login_at < start),
               Person.id.not_in(_kept_by_role()),
               Person.email.not_like(f"%{ERASED_DOMAIN}"))  # erased already: an anonymous holder of figures
        .order_by(Person.id)).all()
    if not candidates:
        return []
    newest = newest_editions()
    past = []
    for person_id, created_at, last_login_at in candidates:
        signs = [created_at.date(), *([last_login_at.date()] if last_login_at else []),
                 *([newest[person_id]] if person_id in newest else [])]
        last_seen = max(signs)
        if last_seen < boundary:
            past.append(PastPerson(person_id, last_seen))
    return past


class People:
    unit = "years"

    def boundary(self, now: datetime, period: int) -> date:
        return years_before(now, period)

    def find(self, now: datetime, period: int) -> dict[str, int]:
        return {"people": len(people_past(now, period))}

    def erase(self, now: datetime, period: int) -> dict[str, int]:
        """Erase each person past the boundary with the subject's erasure (which writes its own audit row, with
        counts); returns how many people, and the sum of the erasures' counts."""
        past = people_past(now, period)
        if not past:
            return {"people": 0}
        counts = {"people": len(past)}
        for person in past:
            for key, num in erase_person(person.person_id, actor_id=None, reason=REASON, now=now).items():
                counts[key] = counts.get(key, 0) + num
        return counts


PEOPLE = People()
