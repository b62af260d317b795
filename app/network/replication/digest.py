"""The monthly digest: on the 1st of each month, each member city's contacts get one mail about the past month:
the new projects of other cities in its themes, and the replication requests waiting for its answer. A city with
nothing to say gets no mail; a month is sent once per city (DigestSent); a contact who unsubscribed (her signed
link) gets none."""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from datetime import date, datetime, time

import click
from flask import current_app
from flask.cli import AppGroup
from huey import crontab
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.core.i18n import supported_locale
from app.core.timefmt import local_to_utc, to_local, utcnow
from app.core.transaction import atomic
from app.core.urls import public_url
from app.extensions import db
from app.jobs.queue import huey
from app.jobs.tasks import task_context
from app.mail.services import send_mail
from app.network.errors import NotFound
from app.network.members.standing import standing
from app.network.models import (Agreement, MembershipStatus, NetworkCity, Project, Replication, Visibility,
                                project_theme)
from app.network.replication import sides
from app.network.replication.messages import TIME_ZONE
from app.network.replication.models import DigestOptOut, DigestSent
from app.people.models import Person

SALT = "network-digest-unsubscribe"
MONTH = re.compile(r"(\d{4})-(\d{2})")


def previous_month(today: date) -> str:
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


def normal_month(month: str) -> str:
    """The month as stored in DigestSent, "2026-01"; ValueError for anything else ("2026-1", "2026-13"): a
    month written two ways would be sent twice."""
    found = MONTH.fullmatch(month.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(month)
    return month.strip()


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """"2026-11" -> the instants (UTC) of midnight on 1 Nov and on 1 Dec 2026 in the network's home time zone
    (Paris); ValueError for anything
    else than YYYY-MM."""
    year, num = (int(part) for part in normal_month(month).split("-"))
    start = date(year, num, 1)
    end = date(year + 1, 1, 1) if num == 12 else date(year, num + 1, 1)
    return local_to_utc(start, time(0), TIME_ZONE), local_to_utc(end, time(0), TIME_ZONE)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(person: Person) -> str:
    return _serializer().dumps(person.id)


def person_of(token: str) -> Person:
    """The person a signed unsubscribe link is for; NotFound for a link that is not one (the link never
    expires: a digest months old still unsubscribes)."""
    try:
        person_id = _serializer().loads(token)
    except BadSignature:
        raise NotFound("unknown_link") from None
    person = db.session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None:
        raise NotFound("unknown_link")
    return person


def is_opted_out(person: Person) -> bool:
    return db.session.get(DigestOptOut, person.id) is not None


def opt_out(token: str) -> Person:
    with atomic():
        person = person_of(token)
        if not is_opted_out(person):
            db.session.add(DigestOptOut(person_id=person.id))
            audit.record("network.digest.opt_out", actor_id=person.id, obj=person)
    return person


@dataclass
class CityDigest:
    city: NetworkCity
    projects: list[Project] = field(default_factory=list)
    requests: list[Replication] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.projects or self.requests)


def digest_of(city: NetworkCity, month: str) -> CityDigest:
    start, end = month_bounds(month)
    theme_ids = [t.id for t in city.themes]
    projects = list(db.session.scalars(select(Project).where(
        Project.published_at >= start, Project.published_at < end, Project.city_id != city.id,
        Project.visibility.in_([Visibility.PUBLIC, Visibility.MEMBERS]),
        Project.id.in_(select(project_theme.c.project_id).where(project_theme.c.theme_id.in_(theme_ids))))
        .order_by(Project.published_at, Project.id))) if theme_ids else []
    requests = list(db.session.scalars(select(Replication).join(Project, Replication.project_id == Project.id).where(
        Project.city_id == city.id, Replication.answer == Agreement.PENDING, Replication.is_cancelled.is_(False))
        .order_by(Replication.created_at, Replication.id)))
    return CityDigest(city, projects, requests)


def _project_url(project: Project) -> str:
    if "network_library.project" in current_app.view_functions:
        return public_url("network_library.project", project_id=project.id)
    return public_url("network.home")


def _send(digest: CityDigest, month: str, recipients: list[Person]) -> None:
    with atomic():
        db.session.add(DigestSent(city_id=digest.city.id, month=month, num_recipients=len(recipients)))
        db.session.flush()  # the unique (city, month) refuses a second digest before any mail is queued
        for person in recipients:
            locale = supported_locale(person.locale)
            send_mail(person.email, template="network_digest", locale=locale, kind="network_digest", lang=locale,
                      person=person, digest=digest, month=month, project_url=_project_url,
                      request_url=lambda r: public_url("network_replication.page", replication_id=r.id),
                      unsubscribe_url=public_url("network_replication.unsubscribe",
                                                 token=unsubscribe_token(person)))
        audit.record("network.digest.sent", actor_id=None, obj=digest.city,
                     details={"month": month, "recipients": len(recipients)})


@dataclass
class DigestCount:
    num_sent: int = 0
    num_already: int = 0
    num_empty: int = 0
    num_mails: int = 0


def send_digests(month: str, *, dry_run: bool = False) -> DigestCount:
    """ValueError for a month not written YYYY-MM."""
    month = normal_month(month)
    count = DigestCount()
    sent = set(db.session.scalars(select(DigestSent.city_id).where(DigestSent.month == month)))
    opted_out = set(db.session.scalars(select(DigestOptOut.person_id)))
    for city in db.session.scalars(select(NetworkCity).order_by(NetworkCity.id)).all():
        if standing(city) is not MembershipStatus.MEMBER:
            continue
        if city.id in sent:
            count.num_already += 1
            continue
        recipients = [p for p in sides.city_contacts(city) if p.id not in opted_out and p.is_enabled]
        digest = digest_of(city, month)
        if digest.is_empty or not recipients:
            count.num_empty += 1
            continue
        if not dry_run:
            try:
                _send(digest, month, recipients)
            except IntegrityError:  # another pass sent it meanwhile
                count.num_already += 1
                continue
        count.num_sent += 1
        count.num_mails += len(recipients)
    return count


@huey.periodic_task(crontab(day="1", hour="7", minute="13"))
def send_digests_monthly() -> int:
    with task_context():
        return send_digests(previous_month(to_local(utcnow(), TIME_ZONE).date())).num_sent


@click.command("digest")
@click.option("--month", default=None, help="The month to tell of, YYYY-MM (default: the past month).")
@click.option("--dry-run", is_flag=True, help="Only count the cities the pass would write to.")
def digest_command(month: str | None, dry_run: bool) -> None:
    """Send the monthly digest of the network to member cities' contacts, as the task of the 1st does."""
    try:
        month = normal_month(month) if month else previous_month(to_local(utcnow(), TIME_ZONE).date())
    except ValueError:
        raise click.BadParameter(f"{month!r} is not a month written YYYY-MM with two digits for the month, "
                                 "e.g. 2026-01", param_hint="--month") from None
    count = send_digests(month, dry_run=dry_run)
    verb = "would write to" if dry_run else "wrote to"
    click.echo(f"{month}: {verb} {count.num_sent} cities ({count.num_mails} mails), already sent "
               f"{count.num_already}, nothing to say or nobody to tell {count.num_empty}.")


def init_cli(app) -> None:
    """`flask network digest`: into the network's command group (another room may have made it already)."""
    group = app.cli.commands.get("network")
    if group is None:
        group = AppGroup("network", help="The network between summits.")
        app.cli.add_command(group)
    group.add_command(digest_command)
