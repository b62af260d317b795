"""Each side sees her published meetings (who, with whom, when in the edition's time, where) in her agenda, her
meeting schedule, the official's route, the startup's briefing and the guides' route sheets; a draft is nobody's."""
from datetime import datetime, timedelta

import pytest

from app.demonstrator.hall import services as hall_services
from app.demonstrator.plans import hall_map, itinerary, sheets
from app.extensions import db
from app.meetings.agenda import hooks
from app.meetings.placement.models import MeetingPlacement
from tests.conftest import login
from tests.demonstrator.test_sheets import pdf_pages
from tests.meetings.agenda_world import build_agenda

#: 14:00 in Paris (summer time, UTC+2).
START = datetime(2027, 6, 2, 12, 0)


@pytest.fixture
def agenda(world):
    return build_agenda(world, START)


def block_with(html: str, testid: str, text: str) -> str:
    """The element marked `testid` that holds `text` (up to the next one)."""
    parts = html.split(f'data-testid="{testid}"')[1:]
    found = [part for part in parts if text in part]
    assert len(found) == 1, f"{text!r} in {len(found)} of {len(parts)} {testid}"
    return found[0]


def signed_in(app, registration):
    client = app.test_client()
    login(client, registration.person)
    client.get("/lang/en")
    return client


def test_her_agenda_lists_her_published_meetings_at_local_times_and_places(app, agenda):
    world = agenda.world
    html = signed_in(app, world.mayor).get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    assert html.count('data-testid="agenda-meeting"') == 2  # at Table 3 with the startup, at stand A1
    table = block_with(html, "agenda-meeting", "Meeting with Sam Leroy (Capteurs du Morvan)")
    assert "14:00" in table and "14:20" in table and "Table 3, meetings area" in table
    assert "With you: Paul Girard (Ville de Nevers)" in table  # her deputy comes along
    stand = block_with(html, "agenda-meeting", "Meeting with Zoé Blanc (Lumière Douce)")
    assert "15:00" in stand and "Stand A1, in the demonstrator" in stand
    assert "Hugo Petit" not in html  # the company's meeting with her is a draft: not published
    assert html.index("Sam Leroy") < html.index("Zoé Blanc")  # in time order


def test_the_other_side_and_a_member_brought_along_see_it_too(app, agenda):
    world = agenda.world
    startup = signed_in(app, world.startup).get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    assert "Meeting with Marie Lefèvre (Ville de Nevers), Paul Girard (Ville de Nevers)" in startup
    deputy = signed_in(app, world.deputy).get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    assert "Meeting with Sam Leroy (Capteurs du Morvan)" in deputy
    assert "With you: Marie Lefèvre (Ville de Nevers)" in deputy
    other = signed_in(app, world.company).get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    assert other.count('data-testid="agenda-meeting"') == 1  # with the director; the draft with the mayor is not


def test_nothing_shows_before_publishing(app, agenda):
    world = agenda.world
    for placement in (agenda.at_table, agenda.at_stand, agenda.company_table):
        placement.published_starts_at = placement.published_ends_at = None
        placement.published_table_id = placement.published_stand_id = None
    db.session.commit()
    client = signed_in(app, world.mayor)
    assert 'data-testid="agenda-meeting"' not in client.get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    schedule = client.get(f"/e/{world.event.slug}/meetings/schedule").get_data(as_text=True)
    assert 'data-testid="schedule-none"' in schedule
    route = client.get(f"/e/{world.event.slug}/demonstrator/route").get_data(as_text=True)
    assert 'data-testid="stop-meeting"' not in route and 'data-testid="route-table-meeting"' not in route


def test_a_cancelled_request_leaves_her_agenda(app, agenda):
    world = agenda.world
    from app.meetings.requests.models import RequestStatus
    agenda.at_table.request.status = RequestStatus.CANCELLED
    db.session.commit()
    html = signed_in(app, world.startup).get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    assert 'data-testid="agenda-meeting"' not in html


def test_her_schedule_says_who_when_where_and_her_coordinator_sees_her_members(app, agenda):
    world = agenda.world
    html = signed_in(app, world.director).get(f"/e/{world.event.slug}/meetings/schedule").get_data(as_text=True)
    assert html.count('data-testid="scheduled-meeting"') == 1
    assert "Meeting with Hugo Petit (Énergies Réunies)" in html and "16:00" in html and "Table 5, meetings area" in html
    # The mayor coordinates the delegation: her own two meetings and her director's.
    html = signed_in(app, world.mayor).get(f"/e/{world.event.slug}/meetings/schedule").get_data(as_text=True)
    assert html.count('data-testid="scheduled-meeting"') == 3
    assert "Meeting with Hugo Petit (Énergies Réunies)" in html


def test_the_route_marks_the_stand_meeting_and_lists_her_table_meetings(app, agenda):
    world = agenda.world
    html = signed_in(app, world.mayor).get(f"/e/{world.event.slug}/demonstrator/route").get_data(as_text=True)
    assert html.count('data-testid="route-visit"') == 1
    stop = html[html.index('data-testid="route-visit"'):]
    stop = stop[:stop.index("</li>")]
    assert 'data-testid="stop-meeting"' in stop and "with Zoé Blanc (Lumière Douce)" in stop
    tables = html[html.index('data-testid="route-table-meetings"'):]
    assert tables.count('data-testid="route-table-meeting"') == 1
    assert "Meeting with Sam Leroy (Capteurs du Morvan)" in tables and "Table 3, meetings area" in tables
    assert "Paul Girard" not in tables[:tables.index("</li>")]  # her own side is not who she meets


def test_the_briefing_marks_the_official_coming_for_a_meeting(app, agenda):
    world = agenda.world
    html = signed_in(app, world.other_startup).get(f"/e/{world.event.slug}/demonstrator/briefing").get_data(
        as_text=True)
    visit = html[html.index('data-testid="briefing-visit"'):]
    assert 'data-testid="briefing-meeting"' in visit
    assert "with Marie Lefèvre (Ville de Nevers)" in visit


def test_a_visit_that_is_no_meeting_is_not_marked(app, agenda):
    world = agenda.world
    db.session.delete(db.session.get(MeetingPlacement, agenda.at_stand.id))
    db.session.commit()
    html = signed_in(app, world.other_startup).get(f"/e/{world.event.slug}/demonstrator/briefing").get_data(
        as_text=True)
    assert 'data-testid="briefing-visit"' in html and 'data-testid="briefing-meeting"' not in html


def test_the_route_sheet_labels_the_meeting_and_lists_the_days_table_meetings(app, agenda, make_organiser):
    world = agenda.world
    event = world.event
    hall = hall_map.hall_map(event, with_image=True)
    tours = itinerary.plan_tours(event, hall=hall, visitor_key=agenda.visit.visitor_key, tour=0)
    assert [s.meeting is not None for s in tours[0].stops] == [True]
    text = " ".join(pdf_pages(sheets.render(event, tours, hall, version=1)))  # in French, the guides' language
    assert "Rencontre sur demande : Marie Lefèvre (Ville de Nevers)" in text
    assert "Rencontres aux tables ce jour-là" in text
    # The mayor with her deputy at Table 3; her director with the company at Table 5: the delegation walks together.
    assert "14:00–14:20 · Table 3, espace des rencontres · Marie Lefèvre (Ville de Nevers), Paul Girard (Ville de " \
           "Nevers) avec Sam Leroy (Capteurs du Morvan)" in text
    assert "16:00–16:20 · Table 5, espace des rencontres · Inès Moreau (Ville de Nevers) avec Hugo Petit" in text
    # The sheet's page (its accessible twin) says the same.
    client = app.test_client()
    login(client, make_organiser(event))
    client.get("/lang/en")
    page = client.get(f"/manage/e/{event.slug}/demonstrator/sheets/{agenda.visit.visitor_key}/0.html")
    html = page.get_data(as_text=True)
    assert 'data-testid="sheet-page-meeting"' in html and 'data-testid="sheet-page-table-meetings"' in html


def test_the_demonstrator_learns_only_published_meetings(app, agenda):
    world = agenda.world
    source = hooks.DemonstratorMeetings()
    assert source.at_stands(world.event, [agenda.visit]) != {}
    found = source.at_tables(world.event, [world.mayor.id, world.deputy.id, world.company.id])
    assert [m.request_id for m in found[world.mayor.id]] == [agenda.at_table.request_id]
    assert [m.request_id for m in found[world.company.id]] == [agenda.company_table.request_id]  # not the draft
    other = hall_services.save_stand(world.event, hall_services.StandInput("B2", x=5, y=1), actor_id=None)
    agenda.at_stand.published_stand_id = other.id
    db.session.commit()
    assert source.at_stands(world.event, [agenda.visit]) == {}  # the visit is at another stand: not that meeting
    on_another_day = source.at_tables(world.event, [world.mayor.id], START.date() + timedelta(days=1))
    assert on_another_day == {}
