"""The daily pass that sends the follow-up surveys, and `flask outcomes surveys` that runs it by hand.

An edition's wave is due `wave` months after its last day (1, 3 and 6: SURVEY_WAVES) and stays due for
`GRACE` days: a pass that did not run that day catches up, while an edition that ended long before the
feature existed sends nothing. Each due wave invites every person who had a meeting an outcome can come
from: the startup's team lead (its stand's registration) and each official or decision maker met, unless she
opted out. One invitation and its mail are one unit of work, person by person: a pass that stops half way
has sent those it stored and the next pass sends the rest; the unique (edition, person, wave) makes a
second pass, or two at once, invite nobody twice.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import click
from flask.cli import AppGroup
from huey import crontab
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.i18n import supported_locale
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.events.models import Event, EventStatus
from app.extensions import db
from app.jobs.queue import huey
from app.jobs.tasks import task_context
from app.mail.services import send_mail
from app.outcomes.models import SURVEY_WAVES, OutcomeSide, SurveyInvitation, SurveyOptOut
from app.outcomes.survey import SURVEYED_CITY_CATEGORIES, edition_meetings, new_token, token_hash
from app.people.models import Person

#: How long after its date a wave is still sent (a pass missed for a few days catches up; no older one).
GRACE = timedelta(days=21)
#: How long a survey link takes answers (the unsubscribe works for ever).
LINK_LIFETIME = timedelta(days=60)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), the month's last day when it has fewer: 31 Jan + 1 = 28 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Invitee:
    person_id: int
    registration_id: int
    side: OutcomeSide


@dataclass
class WaveCount:
    """What a pass did (or would do) for one edition's wave."""

    event_id: int
    slug: str
    wave: int
    due_on: date
    num_sent: int = 0
    num_already: int = 0
    num_opted_out: int = 0


def due_waves(today: date) -> list[tuple[Event, int, date]]:
    """(edition, wave, due date) for each wave due on `today`: its date has come, less than GRACE ago."""
    # A wide window for the query (a month's end moves a date by up to 3 days); the exact test is below.
    latest_end = add_months(today, -min(SURVEY_WAVES)) + timedelta(days=3)
    earliest_end = add_months(today - GRACE, -max(SURVEY_WAVES)) - timedelta(days=3)
    events = db.session.scalars(
        select(Event).where(Event.status != EventStatus.DRAFT, Event.ends_on <= latest_end,
                            Event.ends_on >= earliest_end).order_by(Event.ends_on, Event.id))
    due = []
    for event in events:
        for wave in SURVEY_WAVES:
            due_on = add_months(event.ends_on, wave)
            if due_on <= today < due_on + GRACE:
                due.append((event, wave, due_on))
    return due


def invitees(event: Event) -> list[Invitee]:
    """The people an edition's survey goes to: each startup's team lead and each official or decision maker
    who had a meeting an outcome can come from, once each (the stand's side first); never a closed account
    (disabled, or erased at her request: her meetings still count, she gets no mail)."""
    found: dict[int, Invitee] = {}
    pairs = [(stand, registration) for _meeting, stand, registration in edition_meetings(event)]
    for stand, _registration in pairs:
        found.setdefault(stand.person_id, Invitee(stand.person_id, stand.id, OutcomeSide.STARTUP))
    for _stand, registration in pairs:
        if registration.category.code in SURVEYED_CITY_CATEGORIES:
            found.setdefault(registration.person_id,
                             Invitee(registration.person_id, registration.id, OutcomeSide.CITY))
    closed = set(db.session.scalars(select(Person.id).where(Person.id.in_(found), Person.is_enabled.is_(False))))
    return sorted((i for i in found.values() if i.person_id not in closed), key=lambda i: i.person_id)


def invite(event: Event, invitee: Invitee, wave: int) -> SurveyInvitation:
    """Store one invitation and queue its mail, in the person's language, in one unit of work."""
    with atomic():
        token, now = new_token(), utcnow()
        invitation = SurveyInvitation(event_id=event.id, person_id=invitee.person_id,
                                      registration_id=invitee.registration_id, side=invitee.side, wave=wave,
                                      token_hash=token_hash(token), sent_at=now, expires_at=now + LINK_LIFETIME)
        db.session.add(invitation)
        db.session.flush()  # the unique (edition, person, wave) refuses a second one before any mail is queued
        person = db.session.get(Person, invitee.person_id)
        locale = supported_locale(person.locale)
        send_mail(person.email, template="outcome_survey", locale=locale, kind="outcome_survey",
                  event_id=event.id, person=person, event=event, wave=wave, token=token,
                  side=invitee.side.value, expires_on=invitation.expires_at.date())
    return invitation


def send_surveys(today: date, *, dry_run: bool = False) -> list[WaveCount]:
    """Invite everyone a wave due on `today` is for and who has not been invited to it (nor opted out)."""
    counts = []
    for event, wave, due_on in due_waves(today):
        count = WaveCount(event.id, event.slug, wave, due_on)
        counts.append(count)
        invited = set(db.session.scalars(select(SurveyInvitation.person_id).where(
            SurveyInvitation.event_id == event.id, SurveyInvitation.wave == wave)))
        opted_out = set(db.session.scalars(select(SurveyOptOut.person_id)))
        for invitee in invitees(event):
            if invitee.person_id in invited:
                count.num_already += 1
            elif invitee.person_id in opted_out:
                count.num_opted_out += 1
            elif dry_run:
                count.num_sent += 1
            else:
                try:
                    invite(event, invitee, wave)
                except IntegrityError:  # another pass invited her meanwhile
                    count.num_already += 1
                else:
                    count.num_sent += 1
    return counts


@huey.periodic_task(crontab(hour="8", minute="41"))
def send_surveys_daily() -> int:
    with task_context():
        return sum(c.num_sent for c in send_surveys(utcnow().date()))


outcomes_cli = AppGroup("outcomes", help="Meeting outcomes and their follow-up surveys.")


@outcomes_cli.command("surveys")
@click.option("--dry-run", is_flag=True, help="Only count whom the pass would invite.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run the pass as on this day, YYYY-MM-DD (default: today, UTC).")
def surveys_command(dry_run: bool, today) -> None:
    """Send the follow-up surveys due today (1, 3 and 6 months after each edition), as the daily task does."""
    day = today.date() if today is not None else utcnow().date()
    counts = send_surveys(day, dry_run=dry_run)
    verb = "would send" if dry_run else "sent"
    for count in counts:
        click.echo(f"{count.slug}, wave {count.wave} (due {count.due_on.isoformat()}): {verb} {count.num_sent}, "
                   f"already invited {count.num_already}, opted out {count.num_opted_out}")
    if not counts:
        click.echo(f"No survey wave is due on {day.isoformat()}.")
