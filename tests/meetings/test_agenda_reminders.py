"""The reminder of the day before: one mail per person with published meetings the next day, in her language,
through the outbox, from 16:00 of the edition's time; a second pass sends nothing twice."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.meetings.agenda import reminders
from app.meetings.agenda.models import MeetingReminder
from app.registrations.models import RegistrationStatus
from tests.meetings.agenda_world import build_agenda

START = datetime(2027, 6, 2, 12, 0)  # Wednesday 2 June, 14:00 in Paris
#: Tuesday 1 June at 17:00 in Paris (15:00 UTC): the reminders of Wednesday are due.
DUE = datetime(2027, 6, 1, 15, 0)


@pytest.fixture
def agenda(world):
    return build_agenda(world, START)


def reminders_sent() -> dict[str, OutboxMessage]:
    return {m.recipient: m for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == reminders.KIND))}


def test_each_person_gets_one_mail_listing_her_meetings_of_tomorrow_in_her_language(agenda):
    world = agenda.world
    counts = reminders.send_reminders(DUE)
    assert [(c.day.isoformat(), c.num_sent, c.num_already) for c in counts] == [("2027-06-02", 6, 0)]
    sent = reminders_sent()
    # Both sides and the deputy brought along; the director and the company; the stand's startup. The draft
    # meeting of the company with the mayor is not published: it adds nothing to the company's mail.
    people = [world.mayor, world.deputy, world.startup, world.director, world.company, world.other_startup]
    assert sorted(sent) == sorted(r.person.email for r in people)
    mayor = sent[world.mayor.person.email]
    assert mayor.subject == "Sommet des villes moyennes 2027 : vos 2 rencontres de demain"
    assert "14:00–14:20, Table 3, espace des rencontres : avec Sam Leroy (Capteurs du Morvan)" in mayor.body
    assert "15:00–15:20, Stand A1, dans le démonstrateur : avec Zoé Blanc (Lumière Douce)" in mayor.body
    assert "Hugo Petit" not in mayor.body
    startup = sent[world.startup.person.email]  # Sam Leroy reads English
    assert startup.subject == "Sommet des villes moyennes 2027: your meeting tomorrow"
    assert "14:00–14:20, Table 3, meetings area: with Marie Lefèvre (Ville de Nevers), Paul Girard" in startup.body
    assert "/e/sommet-2027/meetings/schedule" in startup.body


def test_a_second_pass_sends_nothing_twice(agenda):
    reminders.send_reminders(DUE)
    again = reminders.send_reminders(DUE.replace(hour=20))
    assert [(c.num_sent, c.num_already) for c in again] == [(0, 6)]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == reminders.KIND)) == 6
    assert db.session.scalar(select(func.count()).select_from(MeetingReminder)) == 6


def test_only_the_next_day_and_not_before_four_in_the_afternoon(agenda):
    assert reminders.send_reminders(datetime(2027, 6, 1, 13, 59)) == []  # 15:59 in Paris
    assert reminders.send_reminders(datetime(2027, 5, 31, 15, 0)) == []  # two days before: nothing due
    assert reminders.send_reminders(datetime(2027, 6, 2, 15, 0)) == []  # the day itself, after the meetings
    assert reminders_sent() == {}
    # A meeting on Thursday is not in Wednesday's reminder; it gets its own on Wednesday evening.
    agenda.company_table.published_starts_at = datetime(2027, 6, 3, 8, 0)
    agenda.company_table.published_ends_at = datetime(2027, 6, 3, 8, 20)
    db.session.commit()
    reminders.send_reminders(DUE)
    assert agenda.world.company.person.email not in reminders_sent()
    thursday = reminders.send_reminders(datetime(2027, 6, 2, 15, 0))
    assert [(c.day.isoformat(), c.num_sent) for c in thursday] == [("2027-06-03", 2)]


def test_a_dry_run_counts_and_a_cancelled_registration_gets_nothing(agenda):
    world = agenda.world
    world.deputy.status = RegistrationStatus.CANCELLED
    db.session.commit()
    assert [c.num_sent for c in reminders.send_reminders(DUE, dry_run=True)] == [5]
    assert reminders_sent() == {}
    reminders.send_reminders(DUE)
    assert world.deputy.person.email not in reminders_sent()


def test_the_command_says_what_it_sent(app, agenda, monkeypatch):
    monkeypatch.setattr(reminders, "utcnow", lambda: DUE)
    result = app.test_cli_runner().invoke(args=["meetings", "remind", "--dry-run"])
    assert result.exit_code == 0 and "sommet-2027, meetings of 2027-06-02: would remind 6" in result.output
