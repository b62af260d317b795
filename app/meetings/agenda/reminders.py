"""The reminder of the day before: each person with published meetings on the next day gets one mail in her
language listing them (time, place, with whom), through the outbox.

A periodic task runs every hour; an edition's reminders for its next (local) day go from REMINDER_HOUR local
time on, so a pass missed at that hour is made up by the next one, until midnight. Sent once: each mail is written
in one unit of work with a `MeetingReminder` row whose unique (edition, person, day) refuses a second one, before
the mail is queued; a re-run finds the row and sends nothing (and two passes at the same instant: one of them
fails on the unique row and rolls its mail back). Meetings placed or published after a person's reminder do not
send a second one: the publication's own notice told her.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import click
from huey import crontab
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.i18n import supported_locale
from app.core.timefmt import to_local, utcnow
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.jobs.queue import huey
from app.jobs.tasks import task_context
from app.mail.services import send_mail
from app.meetings.agenda import schedule
from app.meetings.agenda.models import MeetingReminder
from app.meetings.cli import meetings_cli
from app.meetings.placement.models import MeetingPlacement
from app.people.models import Person
from app.registrations.models import RegistrationStatus

#: From this local time on, the next day's meetings are reminded.
REMINDER_HOUR = time(16)
KIND = "meeting_reminder"


@dataclass
class ReminderCount:
    slug: str
    day: date
    num_sent: int = 0
    num_already: int = 0


@dataclass
class _Due:
    event: Event
    day: date
    #: person id -> (the person, her meetings that day, earliest first)
    people: dict[int, list[MeetingPlacement]] = field(default_factory=lambda: defaultdict(list))


def due(now: datetime) -> list[_Due]:
    """The editions whose reminder time has come, with their next day's meetings per person."""
    event_ids = db.session.scalars(schedule.published().with_only_columns(MeetingPlacement.event_id).where(
        MeetingPlacement.published_starts_at >= now,
        MeetingPlacement.published_starts_at < now + timedelta(days=2)).distinct()).all()
    found = []
    for event in db.session.scalars(select(Event).where(Event.id.in_(event_ids)).order_by(Event.id)):
        local = to_local(now, event.timezone)
        if local.time() < REMINDER_HOUR:
            continue
        day = local.date() + timedelta(days=1)
        since, until = schedule.day_bounds(day, event.timezone)
        entry = _Due(event, day)
        for placement in schedule.published_meetings(event.id, since=since, until=until):
            for registration in {r.id: r for r in schedule.everyone(placement)}.values():
                if registration.status != RegistrationStatus.CANCELLED:
                    entry.people[registration.person_id].append(placement)
        if entry.people:
            found.append(entry)
    return found


def remind(event: Event, day: date, person: Person, placements: list[MeetingPlacement]) -> MeetingReminder:
    """Store the reminder and queue its mail, in the person's language, in one unit of work."""
    with atomic():
        reminder = MeetingReminder(event_id=event.id, person_id=person.id, day=day, num_meetings=len(placements),
                                   sent_at=utcnow())
        db.session.add(reminder)
        db.session.flush()  # the unique (edition, person, day) refuses a second one before the mail is queued
        items = [schedule.Seen(p, schedule.sides_for(p, person))
                 for p in placements]
        send_mail(person.email, template="meeting_reminder", locale=supported_locale(person.locale), kind=KIND,
                  event_id=event.id, person=person, event=event, day=day, items=items, place=schedule.place)
    return reminder


def send_reminders(now: datetime | None = None, *, dry_run: bool = False) -> list[ReminderCount]:
    """Remind everyone whose reminder is due and not sent yet (see the module)."""
    now = now or utcnow()
    counts = []
    for entry in due(now):
        count = ReminderCount(entry.event.slug, entry.day)
        counts.append(count)
        sent = set(db.session.scalars(select(MeetingReminder.person_id).where(
            MeetingReminder.event_id == entry.event.id, MeetingReminder.day == entry.day)))
        for person_id, placements in sorted(entry.people.items()):
            if person_id in sent:
                count.num_already += 1
            elif dry_run:
                count.num_sent += 1
            else:
                try:
                    remind(entry.event, entry.day, db.session.get(Person, person_id), placements)
                except IntegrityError:  # another pass reminded her meanwhile
                    count.num_already += 1
                else:
                    count.num_sent += 1
    return counts


@huey.periodic_task(crontab(minute="27"))  # every hour, beside the other passes
def send_reminders_hourly() -> int:
    with task_context():
        return sum(c.num_sent for c in send_reminders())


@meetings_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Only count whom the pass would remind.")
def remind_command(dry_run: bool) -> None:
    """Send the reminders of tomorrow's meetings that are due, as the hourly task does."""
    counts = send_reminders(dry_run=dry_run)
    verb = "would remind" if dry_run else "reminded"
    for count in counts:
        click.echo(f"{count.slug}, meetings of {count.day.isoformat()}: {verb} {count.num_sent}, "
                   f"already reminded {count.num_already}")
    if not counts:
        click.echo("No reminder is due now.")
