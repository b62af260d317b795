"""What people get from the published plan: an official's route, a startup's briefing, the calendar feed."""
import re
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.auth.services import set_password
from app.demonstrator.plans import calendar as visit_calendar
from app.demonstrator.plans import editing, itinerary, planning
from app.demonstrator.wishes import services as preferences
from app.demonstrator.plans.models import PlannedVisit, PlanStatus
from app.demonstrator.wishes.models import WishKind
from app.events.models import CategoryCode
from app.extensions import db
from app.mail.models import OutboxMessage
from app.program import feeds
from tests.conftest import TEST_PASSWORD, login
from tests.forged_host import FORGED


def plan_and_publish(world, seed: int = 0):
    plan = planning.request_plan(world.event, planning.PlanRequest(time_limit=2), actor_id=None, seed=seed)
    plan = db.session.get(planning.VisitPlan, plan.id, populate_existing=True)
    assert plan.status == PlanStatus.DRAFT and plan.visits
    editing.publish(plan, actor_id=None)
    return plan


def signed_in(app, registration):
    set_password(registration.person, TEST_PASSWORD)
    db.session.commit()
    client = app.test_client()
    login(client, registration.person)
    client.get("/lang/en")  # assertions on interface texts, whatever the French catalogue says
    return client


def visits_of(plan, key):
    return sorted((v for v in plan.visits if v.visitor_key == key), key=lambda v: v.starts_at)


@pytest.fixture
def wishes(world):
    """Official 0 wants startup 0 (mutual), the delegation's second member wants startup 3."""
    preferences.set_wish(world.event, world.officials[0], world.startups[0], WishKind.WANT, actor_id=None)
    preferences.set_wish(world.event, world.startups[0], world.officials[0], WishKind.WANT, actor_id=None)
    preferences.set_wish(world.event, world.officials[4], world.startups[3], WishKind.WANT, actor_id=None)
    db.session.commit()


def test_route_says_plainly_when_nothing_is_published(app, world):
    client = signed_in(app, world.officials[0])
    planning.request_plan(world.event, planning.PlanRequest(time_limit=1), actor_id=None)  # a draft only
    html = client.get(f"/e/{world.event.slug}/demonstrator/route").get_data(as_text=True)
    assert 'data-testid="route-none"' in html
    assert 'data-testid="route-visit"' not in html
    assert "Startup mobilite" not in html


def test_route_shows_the_published_visits_in_local_time_with_why(app, world, wishes):
    plan = plan_and_publish(world)
    official = world.officials[0]
    mine = visits_of(plan, f"r{official.id}")
    assert any(v.startup_id == world.startups[0].id for v in mine)  # the mutual wish is planned
    client = signed_in(app, official)
    response = client.get(f"/e/{world.event.slug}/demonstrator/route")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('data-testid="route-visit"') == len(mine)
    first = mine[0]
    # Paris in June is UTC+2: the stored UTC time shows two hours later.
    local = f"{first.starts_at.hour + 2:02d}:{first.starts_at.minute:02d}"
    assert local in html
    assert 'data-testid="visit-map"' in html and "marker-mid" in html
    block = html[html.index("Startup mobilite"):]
    block = block[:block.index("</ul>")]
    assert "You wished to meet them." in block
    assert "They wished to meet you." in block
    assert "Shared theme: Mobility" in block
    assert "style=" not in html  # the CSP forbids inline styles


def test_delegation_route_names_the_members_concerned(app, world, wishes):
    plan = plan_and_publish(world)
    key = f"d{world.delegation.id}"
    planned = visits_of(plan, key)
    assert planned
    first_member, second_member = world.officials[3], world.officials[4]
    client = signed_in(app, first_member)
    html = client.get(f"/e/{world.event.slug}/demonstrator/route").get_data(as_text=True)
    assert html.count('data-testid="route-visit"') == len(planned)
    assert "Délégation de Bourges" in html
    assert any(v.startup_id == world.startups[3].id for v in planned)  # their best pair: a member's wish
    assert f"{second_member.person.full_name} wished to meet them." in html
    assert "You wished to meet them." not in html  # the reader did not


def test_a_startup_is_sent_to_its_briefing_and_an_official_cannot_open_it(app, world):
    plan_and_publish(world)
    startup_client = signed_in(app, world.startups[0])
    response = startup_client.get(f"/e/{world.event.slug}/demonstrator/route")
    assert response.status_code == 302 and response.headers["Location"].endswith("/demonstrator/briefing")
    official_client = signed_in(app, world.officials[1])
    assert official_client.get(f"/e/{world.event.slug}/demonstrator/briefing").status_code == 403


def test_briefing_lists_the_visitors_with_mandates_in_protocol_order(app, world, wishes):
    plan = plan_and_publish(world)
    startup = world.startups[3]
    received = [v for v in plan.visits if v.startup_id == startup.id]
    assert received
    client = signed_in(app, startup)
    html = client.get(f"/e/{world.event.slug}/demonstrator/briefing").get_data(as_text=True)
    assert html.count('data-testid="briefing-visit"') == len(received)
    assert "Mayor" in html or "Maire" in html
    assert "Nevers" in html  # the territory
    assert any(v.delegation_id for v in received)
    members = html[html.index("Délégation de Bourges"):]
    # protocol order: the lead (set first) before the other member
    assert members.index(world.officials[3].person.full_name) < members.index(world.officials[4].person.full_name)
    assert html.count('data-testid="wished"') == 1  # official 4 wished to meet this startup
    assert 'class="theme shared"' in html


def test_briefing_before_publishing_says_so(app, world):
    client = signed_in(app, world.startups[0])
    html = client.get(f"/e/{world.event.slug}/demonstrator/briefing").get_data(as_text=True)
    assert 'data-testid="briefing-none"' in html


def test_a_team_member_of_a_startup_sees_its_briefing(app, world, make_registration):
    plan_and_publish(world)
    member = make_registration(world.event, CategoryCode.STARTUP, organisation_name="Startup mobilite")
    member.team_lead_id = world.startups[0].id
    db.session.commit()
    client = signed_in(app, member)
    html = client.get(f"/e/{world.event.slug}/demonstrator/briefing").get_data(as_text=True)
    assert html.count('data-testid="briefing-visit"') == len(itinerary.visitors_of(world.startups[0]))


# -- calendar -------------------------------------------------------------------------------------------

def vevents(body: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(body)
    return {str(c["UID"]): c for c in cal.walk("VEVENT")}


def test_personal_feed_has_the_visit_slots_in_local_time(app, world):
    plan = plan_and_publish(world)
    official = world.officials[0]
    mine = visits_of(plan, f"r{official.id}")
    client = signed_in(app, official)
    body = client.get(f"/e/{world.event.slug}/agenda.ics").data
    events = vevents(body)
    visit_uids = [u for u in events if u.startswith("visit-")]
    assert len(visit_uids) == len(mine)
    cal = Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    for visit in mine:
        uid = visit_calendar.visit_uid(world.event.id, visit.visitor_key, visit.stand_key, "localhost")
        uid = next(u for u in visit_uids if u.startswith(uid.split("@")[0] + "@"))
        vevent = events[uid]
        start = vevent["DTSTART"]
        assert start.params["TZID"] == "Europe/Paris"
        assert (start.dt.hour, start.dt.minute) == ((visit.starts_at.hour + 2), visit.starts_at.minute)
        assert int(vevent["SEQUENCE"]) == plan.version
        assert str(vevent["STATUS"]) == "CONFIRMED"
        assert f"stand {visit.stand.number}" in str(vevent["SUMMARY"])
    # The subscription feed (token) carries the same visits: same UIDs.
    token = feeds.current_token(official)
    db.session.commit()
    by_token = vevents(app.test_client().get(f"/ical/{token.token}.ics").data)
    assert sorted(u for u in by_token if u.startswith("visit-")) == sorted(visit_uids)


def test_a_replan_moves_keep_their_uid_and_dropped_visits_come_back_cancelled(app, world):
    plan = plan_and_publish(world)
    official = world.officials[0]
    key = f"r{official.id}"
    mine = visits_of(plan, key)
    assert len(mine) >= 2
    dropped, kept = mine[0], mine[1]
    # A hand-edited copy of the plan without one visit, published: version 2.
    new = planning.request_plan(world.event, planning.PlanRequest(origin="replan", time_limit=1), actor_id=None)
    new = db.session.get(planning.VisitPlan, new.id, populate_existing=True)
    for visit in list(new.visits):
        if visit.visitor_key == key and visit.stand_key == dropped.stand_key:
            editing.remove_visit(new, visit.id, actor_id=None)
    editing.publish(new, actor_id=None)
    assert db.session.get(planning.VisitPlan, plan.id).status == PlanStatus.SUPERSEDED
    events = vevents(feeds.personal_ics(official, "fr"))
    gone = next(e for u, e in events.items() if u.startswith(f"visit-{world.event.id}-{key}-{dropped.stand_key}@"))
    assert str(gone["STATUS"]) == "CANCELLED"
    assert int(gone["SEQUENCE"]) == new.version
    now = {v.stand_key for v in visits_of(new, key)}
    for stand_key in now:
        event = next(e for u, e in events.items() if u.startswith(f"visit-{world.event.id}-{key}-{stand_key}@"))
        assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == new.version
    if kept.stand_key in now:
        assert any(u.startswith(f"visit-{world.event.id}-{key}-{kept.stand_key}@") for u in events)


def test_a_startup_feed_has_the_visits_its_stand_receives(app, world):
    plan = plan_and_publish(world)
    startup = world.startups[1]
    received = [v for v in plan.visits if v.startup_id == startup.id]
    events = vevents(feeds.personal_ics(startup, "en"))
    hosted = {u: e for u, e in events.items() if u.startswith("stand-visit-")}
    assert len(hosted) == len(received)
    assert all(str(e["SUMMARY"]).startswith("Visit to your stand") for e in hosted.values())


def test_an_attendee_without_visits_gets_the_feed_as_before(app, world, make_registration):
    plan_and_publish(world)
    visitor = make_registration(world.event, CategoryCode.VISITEUR)
    events = vevents(feeds.personal_ics(visitor, "fr"))
    assert not [u for u in events if "visit-" in u]


def test_publishing_mails_links_that_open_the_route_and_the_briefing(app, world):
    plan_and_publish(world)
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "visits_ready")).all()
    assert messages
    official_mail = next(m for m in messages if m.recipient == world.officials[0].person.email)
    route_url = re.search(r"https?://\S+/demonstrator/route", official_mail.body).group(0)
    startup_mail = next(m for m in messages if m.recipient == world.startups[0].person.email)
    briefing_url = re.search(r"https?://\S+/demonstrator/briefing", startup_mail.body).group(0)
    public = app.config["PUBLIC_URL"]
    assert route_url == f"{public}/e/{world.event.slug}/demonstrator/route"
    assert briefing_url == f"{public}/e/{world.event.slug}/demonstrator/briefing"
    with app.test_request_context("/", base_url=FORGED):  # the calendar's visits link to the same page
        visits = [e for u, e in vevents(feeds.personal_ics(world.officials[0], "en")).items() if u.startswith("visit-")]
    assert visits and all(route_url in str(e["DESCRIPTION"]) for e in visits)
    client = signed_in(app, world.officials[0])
    assert client.get(urlsplit(route_url).path).status_code == 200
    startup_client = signed_in(app, world.startups[0])
    assert startup_client.get(urlsplit(briefing_url).path).status_code == 200


def test_no_planned_visit_in_the_page_of_another_official(app, world):
    plan = plan_and_publish(world)
    other = world.officials[1]
    client = signed_in(app, other)
    html = client.get(f"/e/{world.event.slug}/demonstrator/route").get_data(as_text=True)
    assert html.count('data-testid="route-visit"') == len(visits_of(plan, f"r{other.id}"))
    assert db.session.scalar(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id)) is not None


def test_an_attendee_who_is_not_routed_is_told_why(app, world, make_registration):
    plan_and_publish(world)
    visitor = make_registration(world.event, CategoryCode.VISITEUR)
    client = signed_in(app, visitor)
    html = client.get(f"/e/{world.event.slug}/demonstrator/route").get_data(as_text=True)
    assert "planned for elected officials and decision makers" in html
    assert 'data-testid="route-visit"' not in html


def test_my_registrations_link_to_the_route_and_the_briefing(app, world):
    official = signed_in(app, world.officials[0])
    assert "/demonstrator/route" in official.get("/me").get_data(as_text=True)
    assert "/demonstrator/route" in official.get(f"/e/{world.event.slug}/agenda").get_data(as_text=True)
    startup = signed_in(app, world.startups[0])
    assert "/demonstrator/briefing" in startup.get("/me").get_data(as_text=True)


def test_visits_on_a_day_the_official_gave_up_are_flagged_to_them_and_to_the_organiser(app, world, wishes,
                                                                                       make_organiser):
    plan = plan_and_publish(world)
    official = world.officials[0]
    day = itinerary.route(official).days[0][0]
    official.days = [d.isoformat() for d in world.event.days if d != day]  # she no longer comes that day
    db.session.commit()
    client = signed_in(app, official)
    page = client.get(f"/e/{world.event.slug}/demonstrator/route").get_data(as_text=True)
    assert "You did not register for this day" in page
    organiser = app.test_client()
    login(organiser, make_organiser(world.event))
    organiser.get("/lang/en")
    page = organiser.get(f"/manage/e/{world.event.slug}/registrations/{official.id}").get_data(as_text=True)
    num = len(visits_of(plan, f"r{official.id}"))
    assert "Planned on days this person did not register for" in page
    assert (f"Demonstrator route: {num} visit" in page) and 'data-testid="day-warning"' in page
