"""Held meetings count: the organiser's figures of the day, the edition's report (planned against held beside the
visits' planned against realised, on the page, in the CSV and the PDF), and the outcomes, where a held meeting
between a startup and an official is a meeting an outcome comes from (source "meeting")."""
import csv
import io
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import RoleName
from app.auth.services import grant_role
from app.extensions import db
from app.meetings.agenda import figures, marks
from app.meetings.placement.models import Mark, MarkSource, MeetingMark
from app.meetings.requests.models import Side
from app.outcomes.meetings import meetings
from app.outcomes.models import Outcome, OutcomeSource
from tests.conftest import login
from tests.meetings.agenda_world import build_agenda
from tests.report.test_report_page import pdf_text

START = datetime(2027, 6, 2, 12, 0)
AFTER = START + timedelta(hours=6)


@pytest.fixture
def agenda(world):
    """The table meeting held (the mayor said so), the company's a no-show (the company said the director did not
    come), the stand meeting held by the stand's scan."""
    found = build_agenda(world, START)
    marks.mark_meeting(world.event, found.at_table.id, mark="held", side=None, actor=world.mayor.person, now=AFTER)
    marks.mark_meeting(world.event, found.company_table.id, mark="no_show", side=None, actor=world.company.person,
                       now=AFTER)
    db.session.add(MeetingMark(placement_id=found.at_stand.id, side=Side.RECIPIENT, mark=Mark.HELD,
                               source=MarkSource.SCAN, marked_at=found.at_stand.published_starts_at))
    db.session.commit()
    return found


def test_the_figures_count_planned_held_and_no_shows_per_day(agenda):
    found = figures.meeting_figures(agenda.world.event)
    total = found.total
    assert (total.planned, total.held, total.no_show, total.unmarked, total.at_stands, total.held_by_scan) == \
        (3, 2, 1, 0, 1, 1)
    assert [(t.day.isoformat(), t.planned) for t in found.days] == [("2027-06-02", 3)]
    # A held word beats a no-show, whoever said it.
    marks.mark_meeting(agenda.world.event, agenda.company_table.id, mark="held", side=None,
                       actor=agenda.world.director.person, now=AFTER)
    assert figures.meeting_figures(agenda.world.event).total.held == 3


def test_the_report_shows_meetings_on_request_beside_the_visits(app, agenda, make_organiser):
    event = agenda.world.event
    client = app.test_client()
    login(client, make_organiser(event))
    client.get("/lang/en")
    html = client.get(f"/manage/e/{event.slug}/report").get_data(as_text=True)
    section = html.split('data-testid="requested-meetings"')[1].split("</section>")[0]
    assert re.search(r'data-testid="requested-planned">3<', section)
    assert re.search(r'data-testid="requested-held">2<', section)
    assert re.search(r'data-testid="requested-no-show">1<', section)
    assert html.index('data-testid="total-planned"') < html.index('data-testid="requested-meetings"')
    rows = list(csv.reader(io.StringIO(client.get(f"/manage/e/{event.slug}/report.csv").get_data(as_text=True))))
    assert ["requested_meetings", "total", "3", "2", "1", "", "1"] in rows
    assert ["requested_meetings", "2027-06-02", "3", "2", "1", "", "1"] in rows
    text = pdf_text(client.get(f"/manage/e/{event.slug}/report.pdf").data)
    assert "Meetings on request" in text and "Published: 3; held: 2; no-show: 1; not marked: 0." in text


def test_a_held_meeting_is_a_meeting_outcomes_come_from(app, agenda):
    world = agenda.world
    found = {(m.stand_id, m.registration_id): m for m in meetings(world.event)}
    # The startup met the mayor and her deputy at Table 3; the stand meeting with the other startup is a planned
    # visit, not realised by the report (no scan row), so it counts as the held meeting on request it is.
    assert found[(world.startup.id, world.mayor.id)].source is OutcomeSource.MEETING
    assert found[(world.startup.id, world.deputy.id)].placement_id == agenda.at_table.id
    assert found[(world.other_startup.id, world.mayor.id)].source is OutcomeSource.MEETING
    assert (world.company.id, world.director.id) not in found  # a no-show, and a company is no startup
    # The mayor records what came of it from her page.
    client = app.test_client()
    login(client, world.mayor.person)
    client.get("/lang/en")
    page = client.get(f"/e/{world.event.slug}/my/outcomes/").get_data(as_text=True)
    url = f"/e/{world.event.slug}/my/outcomes/new/{world.startup.id}/{world.mayor.id}"
    assert f'href="{url}"' in page and "Meeting on request, held" in page
    response = client.submit(url, {"kind": "pilot", "status": "in_progress", "status_on": "2027-09-15",
                                   "amount": "", "currency": "EUR", "notes": ""})
    assert response.status_code == 302
    outcome = db.session.scalar(select(Outcome))
    assert (outcome.source, outcome.stand_id, outcome.registration_id) == \
        (OutcomeSource.MEETING, world.startup.id, world.mayor.id)


def test_an_unmarked_meeting_is_no_source_of_outcomes(agenda):
    world = agenda.world
    db.session.query(MeetingMark).delete()
    db.session.commit()
    assert not [m for m in meetings(world.event) if m.source is OutcomeSource.MEETING]


def test_the_organisers_page_shows_the_days_figures(app, agenda, make_person):
    person = make_person()
    grant_role(person, agenda.world.event.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    client = app.test_client()
    login(client, person)
    client.get("/lang/en")
    html = client.get(f"/manage/e/{agenda.world.event.slug}/meetings/day?state=no_show").get_data(as_text=True)
    assert '<div class="stat" data-testid="figure-held">2</div>' in html
    assert html.count('data-testid="day-meeting-row"') == 1 and "Hugo Petit" in html
    assert html.count('data-testid="day-tally-row"') == 1


def test_the_organisers_filters_ignore_nonsense(app, agenda, make_organiser):
    client = app.test_client()
    login(client, make_organiser(agenda.world.event))
    base = f"/manage/e/{agenda.world.event.slug}/meetings/day"
    for query in ("day=9999-12-31", "day=0001-01-01", "day=2027-13-01", "state=%00", "page=-1", "page=99999999999"):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200 and response.get_data(as_text=True).count('data-testid="day-meeting-row"') == 3
    assert client.get(f"{base}?day=2027-06-02").get_data(as_text=True).count('data-testid="day-meeting-row"') == 3
    assert client.get(f"{base}?day=2027-06-03").get_data(as_text=True).count('data-testid="day-meeting-row"') == 0
