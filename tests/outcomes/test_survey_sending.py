"""The daily pass: one invitation and one mail per person and wave, at 1, 3 and 6 months, never twice."""
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.events.models import EventStatus
from app.extensions import db
from app.mail import services as mail_services
from app.outcomes import survey, survey_jobs
from app.outcomes.models import OutcomeSide, SurveyInvitation
from app.outcomes.survey_jobs import GRACE, add_months, send_surveys
from tests.conftest import login
from tests.outcomes.survey_world import LINK, build_world, survey_mails

ENDS = date(2027, 6, 4)  # the last day of the conftest's edition


@pytest.fixture
def world(event, make_registration):
    return build_world(event, make_registration)


def invited(wave: int | None = None) -> dict[str, OutcomeSide]:
    query = select(SurveyInvitation)
    if wave is not None:
        query = query.where(SurveyInvitation.wave == wave)
    return {i.person.email: i.side for i in db.session.scalars(query)}


def test_each_wave_invites_each_person_met_once_on_its_day(world):
    assert send_surveys(date(2027, 7, 3)) == []
    assert invited() == {}
    [count] = send_surveys(date(2027, 7, 4))
    assert (count.wave, count.due_on, count.num_sent) == (1, date(2027, 7, 4), 3)
    expected = {"theo@capteurs.example": OutcomeSide.STARTUP, "anne.morel@nevers.example": OutcomeSide.CITY,
                "sam@bourges.example": OutcomeSide.CITY}
    assert invited(1) == expected  # not the visitor, not the stand that met nobody
    assert sorted(m.recipient for m in survey_mails()) == sorted(expected)
    # The next days of the wave: nobody again.
    for later in (date(2027, 7, 4), date(2027, 7, 5)):
        [again] = send_surveys(later)
        assert (again.num_sent, again.num_already) == (0, 3)
    assert len(survey_mails()) == 3
    assert send_surveys(date(2027, 9, 3)) == []
    assert [c.wave for c in send_surveys(date(2027, 9, 4))] == [3]
    assert [c.wave for c in send_surveys(date(2027, 12, 4))] == [6]
    assert invited(3) == expected and invited(6) == expected
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 9
    assert len(survey_mails()) == 9


def test_a_missed_day_is_caught_up_but_an_old_edition_sends_nothing(world):
    assert send_surveys(ENDS + timedelta(days=30) + GRACE) == []  # 4 July + 21 days: too late for wave 1
    [count] = send_surveys(date(2027, 7, 24))
    assert count.num_sent == 3
    assert send_surveys(date(2028, 6, 4)) == []  # a year later: no wave


def test_a_draft_edition_sends_nothing(world):
    world.event.status = EventStatus.DRAFT
    db.session.commit()
    assert send_surveys(date(2027, 7, 4)) == []


def test_nobody_who_opted_out(world):
    survey.opt_out(world.mayor.person_id)
    [count] = send_surveys(date(2027, 7, 4))
    assert (count.num_sent, count.num_opted_out) == (2, 1)
    assert "anne.morel@nevers.example" not in invited()
    assert survey_mails("anne.morel@nevers.example") == []


def test_a_pass_that_crashes_half_way_is_finished_by_the_next(world, monkeypatch):
    real, calls = mail_services.send_mail, []

    def failing(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return real(*args, **kwargs)

    monkeypatch.setattr(survey_jobs, "send_mail", failing)
    with pytest.raises(RuntimeError):
        send_surveys(date(2027, 7, 4))
    db.session.rollback()
    assert list(invited()) == [calls[0]]  # the second person's invitation went with her mail
    monkeypatch.setattr(survey_jobs, "send_mail", real)
    [count] = send_surveys(date(2027, 7, 5))
    assert (count.num_sent, count.num_already) == (2, 1)
    recipients = [m.recipient for m in survey_mails()]
    assert sorted(recipients) == sorted(set(recipients)) and len(recipients) == 3


def test_a_dry_run_stores_nothing(world):
    [count] = send_surveys(date(2027, 7, 4), dry_run=True)
    assert count.num_sent == 3
    assert invited() == {} and survey_mails() == []


def test_the_mail_is_in_the_persons_language_with_absolute_links(world, app):
    send_surveys(date(2027, 7, 4))
    [french] = survey_mails("anne.morel@nevers.example")
    [english] = survey_mails("sam@bourges.example")
    assert french.subject == "Sommet des villes moyennes 2027 : qu'est-il sorti de vos rencontres ?"
    assert "Bonjour Anne" in french.body and "Il y a un mois, vous participiez" in french.body
    assert "avec les startups que vous y avez rencontrées" in french.body
    assert "Pour ne plus recevoir ces questionnaires" in french.body and "Hello" not in french.body
    assert english.subject.endswith("what came of your meetings?")
    assert "Hello Sam" in english.body and "A month ago you took part in" in english.body
    public = app.config["PUBLIC_URL"].rstrip("/")
    for message in (french, english):
        links = LINK.findall(message.body)
        assert [(base, suffix) for base, _, suffix in links] == [(public, ""), (public, "/unsubscribe")]
        assert links[0][1] == links[1][1]
    # Only the hash of the token is stored.
    token = LINK.search(french.body).group(2)
    stored = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.person_id == world.mayor.person_id))
    assert stored.token_hash == survey.token_hash(token) != token
    assert len(token) == 45 and survey.invitation_for(token).id == stored.id


def test_the_three_month_mail_says_three_months(world):
    send_surveys(date(2027, 9, 4))
    [english] = survey_mails("sam@bourges.example")
    assert "3 months ago you took part in" in english.body
    [french] = survey_mails("anne.morel@nevers.example")
    assert "Il y a 3 mois, vous participiez" in french.body


def test_tokens_are_different_and_long():
    tokens = {survey.new_token() for _ in range(200)}
    assert len(tokens) == 200 and all(survey.TOKEN_PATTERN.fullmatch(t) for t in tokens)


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.sampled_from([1, 3, 6, -1, -6, 12]))
def test_add_months_lands_in_the_right_month_on_the_same_day_or_its_last(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


def test_the_command_counts_and_refuses_bad_dates(world, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outcomes", "surveys", "--dry-run", "--today", "2027-07-04"])
    assert result.exit_code == 0, result.output
    assert "sommet-2027, wave 1 (due 2027-07-04): would send 3, already invited 0, opted out 0" in result.output
    assert invited() == {}
    result = runner.invoke(args=["outcomes", "surveys", "--today", "2027-07-04"])
    assert "sent 3" in result.output and len(invited()) == 3
    result = runner.invoke(args=["outcomes", "surveys", "--today", "2027-08-30"])
    assert "No survey wave is due on 2027-08-30." in result.output
    result = runner.invoke(args=["outcomes", "surveys", "--today", "4 July"])
    assert result.exit_code == 2 and "Invalid value for '--today'" in result.output


def test_the_daily_task_runs_the_pass_on_todays_date(world, monkeypatch):
    assert "send_surveys_daily" in [t.name for t in survey_jobs.huey._registry.periodic_tasks]
    monkeypatch.setattr(survey_jobs, "utcnow", lambda: datetime(2027, 7, 4, 8, 41))
    assert survey_jobs.send_surveys_daily.call_local() == 3
    assert survey_jobs.send_surveys_daily.call_local() == 0
    assert len(survey_mails()) == 3


def test_the_organisers_outbox_shows_the_survey_mail_without_its_links(client, world, make_organiser):
    send_surveys(date(2027, 7, 4))
    login(client, make_organiser(world.event))
    html = client.get(f"/manage/e/{world.event.slug}/outbox?q=anne.morel").get_data(as_text=True)
    mail = next(m for m in html.split('data-testid="outbox-message"')[1:] if "sorti de vos rencontres" in m)
    assert "/survey/" not in mail and "[lien masqué : il ouvre le compte du destinataire]" in mail


@pytest.mark.parametrize("ends_on, wave, due_on", [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),
    (date(2027, 5, 31), 3, date(2027, 8, 31)),
])
def test_a_wave_after_a_months_last_day_is_due_on_the_shorter_months_last_day(make_event, ends_on, wave, due_on):
    event = make_event(starts_on=ends_on - timedelta(days=1), ends_on=ends_on)
    assert (event, wave, due_on) in survey_jobs.due_waves(due_on)
    assert all(w != wave for _e, w, _d in survey_jobs.due_waves(due_on - timedelta(days=1)))
