"""Planned versus realised: the matcher on plain values, the figures, the organisers' pages and the command."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select

from app.demonstrator.plans import editing, planning
from app.demonstrator.realised import report as realised
from app.demonstrator.plans.models import PlannedVisit
from app.demonstrator.realised.matching import ScanRow, Tally, VisitRow, match, outcomes
from app.events.models import Category, CategoryCode
from app.extensions import db
from app.leads.models import Lead, Scan
from app.people.models import Person
from app.registrations.models import Registration, RegistrationStatus
from tests.conftest import login
from tests.html_tree import parse

T0 = datetime(2027, 6, 2, 8, 0)  # 10:00 in Paris


def visit(id_, startup, members, start_min, minutes=10, key=None):
    members = frozenset(members)
    key = key or (f"r{next(iter(members))}" if len(members) == 1 else f"d{id_}")
    starts_at = T0 + timedelta(minutes=start_min)
    return VisitRow(id_, key, startup, members, starts_at, starts_at + timedelta(minutes=minutes), f"S{startup}")


def scan(id_, startup, person, minute):
    return ScanRow(id_, startup, person, T0 + timedelta(minutes=minute))


# -- the matcher -----------------------------------------------------------------------------------

@pytest.mark.parametrize("minute, realised_", [(-15, True), (0, True), (5, True), (25, True),
                                               (-16, False), (26, False), (-120, False)])
def test_a_scan_realises_a_visit_from_15_minutes_before_to_15_after(minute, realised_):
    m = match([visit(1, 10, {1}, 0)], [scan(100, 10, 1, minute)])
    assert m.is_realised(1) is realised_
    assert len(m.unplanned) == (0 if realised_ else 1)


def test_the_tolerance_is_a_module_constant():
    assert realised.TOLERANCE == timedelta(minutes=15)
    assert match([visit(1, 10, {1}, 0)], [scan(100, 10, 1, 40)], tolerance=timedelta(minutes=30)).is_realised(1)


def test_a_delegation_visit_is_realised_when_any_member_is_scanned():
    delegation = visit(1, 10, {3, 4, 5}, 0, key="d7")
    m = match([delegation], [scan(100, 10, 4, 3), scan(101, 10, 5, 4), scan(102, 10, 5, 6)])
    assert m.is_realised(1)
    assert m.people_scanned(1) == {4, 5}
    assert m.unplanned == []


def test_a_scan_at_another_startup_or_of_another_person_realises_nothing():
    m = match([visit(1, 10, {1}, 0)], [scan(100, 11, 1, 2), scan(101, 10, 2, 2)])
    assert not m.is_realised(1)
    assert {s.id for s in m.unplanned} == {100, 101}


def test_one_scan_between_two_close_visits_realises_only_one():
    close = [visit(1, 10, {1}, 0), visit(2, 10, {1}, 20)]   # 10:00-10:10 and 10:20-10:30, same startup
    m = match(close, [scan(100, 10, 1, 15)])
    assert sum(m.is_realised(v.id) for v in close) == 1
    assert sum(len(scans) for scans in m.scans_of.values()) == 1


def test_two_scans_near_two_close_visits_realise_both():
    close = [visit(1, 10, {1}, 0), visit(2, 10, {1}, 20)]
    m = match(close, [scan(100, 10, 1, 12), scan(101, 10, 1, 14)])   # both nearer the first visit
    assert m.is_realised(1) and m.is_realised(2)


def test_scans_during_a_visit_go_to_it_and_a_later_one_is_unplanned():
    m = match([visit(1, 10, {1}, 0), visit(2, 10, {1}, 120)], [scan(100, 10, 1, 3), scan(101, 10, 1, 8),
                                                               scan(102, 10, 1, 60)])
    assert [s.id for s in m.scans_of[1]] == [100, 101]
    assert not m.is_realised(2)
    assert [s.id for s in m.unplanned] == [102]


def test_unplanned_scans_make_one_meeting_per_person_startup_and_day():
    m = match([], [scan(1, 10, 1, 0), scan(2, 10, 1, 30), scan(3, 11, 1, 30), scan(4, 10, 2, 0),
                   scan(5, 10, 1, 24 * 60)])
    _, meetings = outcomes(m, "Europe/Paris")
    assert sorted((u.startup_id, u.person_id, u.day.isoformat(), len(u.scans)) for u in meetings) == [
        (10, 1, "2027-06-02", 2), (10, 1, "2027-06-03", 1), (10, 2, "2027-06-02", 1), (11, 1, "2027-06-02", 1)]


def test_days_are_the_events_local_days():
    late = ScanRow(1, 10, 1, datetime(2027, 6, 2, 22, 30))   # 00:30 on 3 June in Paris
    _, meetings = outcomes(match([], [late]), "Europe/Paris")
    assert meetings[0].day.isoformat() == "2027-06-03"


def test_rate_of_nothing_planned_is_none():
    assert Tally(0, 0, 3).rate is None
    assert Tally(4, 3).rate == 0.75


def test_six_thousand_visits_and_ten_thousand_scans_match():
    """A large summit's size (its speed is measured by bench/bench_realised.py)."""
    visits = [visit(i, i % 120, {1000 + i % 900}, (i // 120) * 12) for i in range(6000)]
    scans = [scan(i, i % 120, 1000 + i % 900, (i // 120) * 12 + 3) for i in range(6000)] + \
        [scan(6000 + i, i % 120, 5000 + i, i % 600) for i in range(4000)]
    m = match(visits, scans)
    assert sum(1 for v in visits if m.is_realised(v.id)) == 6000
    assert len(m.unplanned) == 4000


# -- with the database -----------------------------------------------------------------------------

@pytest.fixture
def published(world):
    plan = planning.request_plan(world.event, planning.PlanRequest(time_limit=2), actor_id=None)
    editing.publish(plan, actor_id=None)
    visits = list(db.session.scalars(select(PlannedVisit).where(PlannedVisit.plan_id == plan.id)
                                     .order_by(PlannedVisit.starts_at, PlannedVisit.id)))
    assert visits, "the world's plan should have visits"
    return plan, visits


def add_scan(event, startup_id, person_id, at):
    """A scan as the lead-scanning API stores it: one lead per stand and person, one row per scan."""
    lead = db.session.scalar(select(Lead).where(Lead.stand_id == startup_id, Lead.registration_id == person_id))
    if lead is None:
        lead = Lead(event_id=event.id, stand_id=startup_id, registration_id=person_id, notes="", tags=[],
                    first_scanned_at=at, last_scanned_at=at, num_scans=0)
        db.session.add(lead)
    lead.num_scans += 1
    row = Scan(event_id=event.id, lead=lead, stand_id=startup_id, registration_id=person_id,
               client_id=f"t-{startup_id}-{person_id}-{at:%H%M%S}-{lead.num_scans}", scanned_at=at, notes="",
               tags=[])
    db.session.add(row)
    db.session.commit()
    return row


def person_of(world, v: PlannedVisit) -> int:
    return v.registration_id if v.registration_id else world.officials[4].id  # a delegation's second member


def test_report_counts_realised_and_unplanned_from_the_database(world, published):
    plan, visits = published
    first, second = visits[0], visits[1]
    add_scan(world.event, first.startup_id, person_of(world, first), first.starts_at + timedelta(minutes=2))
    add_scan(world.event, second.startup_id, person_of(world, second), second.starts_at - timedelta(minutes=40))
    report = realised.report(world.event)
    assert report.plan.id == plan.id and report.num_scans == 2
    totals = report.totals
    assert (totals.planned, totals.realised, totals.unplanned) == (len(visits), 1, 1)
    outcome = {o.visit.id: o for o in report.visits}
    assert outcome[first.id].realised and not outcome[second.id].realised
    assert report.by_startup()[0][0] == first.startup_id
    assert sum(t.planned for _, t in report.by_slot()) == len(visits)
    assert sum(t.planned for _, _, t in report.by_hour()) == len(visits)


def test_delegation_visit_realised_by_one_member(world, published):
    _, visits = published
    # Its members share themes with the startups and every stand is open all day: the plan routes it.
    group = next(v for v in visits if v.delegation_id == world.delegation.id)
    add_scan(world.event, group.startup_id, world.officials[3].id, group.starts_at + timedelta(minutes=1))
    report = realised.report(world.event)
    outcome = next(o for o in report.visits if o.visit.id == group.id)
    assert outcome.realised and outcome.people_scanned == {world.officials[3].id}
    assert outcome.visit.members == {world.officials[3].id, world.officials[4].id}


@pytest.fixture
def organiser_client(client, world, make_organiser):
    login(client, make_organiser(world.event))
    return client


def report_names(world) -> dict[int, str]:
    return {s.id: s.organisation.name for s in world.startups}


def test_overview_page_shows_figures_charts_startups_and_visitors(organiser_client, world, published):
    _, visits = published
    add_scan(world.event, visits[0].startup_id, person_of(world, visits[0]), visits[0].starts_at)
    stranger = world.officials[0].id
    add_scan(world.event, world.startups[3].id, stranger, visits[0].starts_at + timedelta(hours=5))
    html = organiser_client.get(f"/manage/e/{world.event.slug}/demonstrator/realised/").get_data(as_text=True)
    assert 'data-testid="stat-planned">%d<' % len(visits) in html
    assert 'data-testid="stat-realised">1<' in html
    assert 'data-testid="slot-chart"' in html and 'data-testid="hour-chart"' in html
    assert 'data-testid="rank-chart"' in html
    tree = parse(html)
    for testid, name in (("slot-chart", "Taux de réalisation par parcours"),
                         ("hour-chart", "Taux de réalisation par heure"),
                         ("rank-chart", "Startups classées par rencontres réalisées")):
        chart = tree.find(data_testid=testid).find("svg")
        assert chart.get("role") == "img" and chart.get("aria-label").startswith(name), testid
    # The charts' figures, in their tables: (realised, planned) by slot and by hour add up to the totals.
    for table in ("slot-chart-table", "hour-chart-table"):
        rows = [[c.text for c in row.children if c.tag in ("th", "td")]
                for row in tree.find(data_testid=table).find_all("tr", data_testid="rate-row")]
        assert (sum(int(r[1]) for r in rows), sum(int(r[2]) for r in rows)) == (1, len(visits)), table
    first = [c.text for c in tree.find(data_testid="rank-table").find("tr", data_testid="rank-row").children
             if c.tag in ("th", "td")]
    assert first[0] == report_names(world)[visits[0].startup_id] and first[1] == "1"
    assert html.count('data-testid="startup-row"') >= 1
    assert 'data-testid="visitors"' in html
    assert "style=" not in html and "<script>" not in html  # CSP: no inline styles or scripts


def test_day_filter_and_a_bad_day(organiser_client, world, published):
    base = f"/manage/e/{world.event.slug}/demonstrator/realised/"
    day = world.event.starts_on
    ok = organiser_client.get(base + f"?day={day.isoformat()}")
    assert ok.status_code == 200
    other = organiser_client.get(base + f"?day={world.event.ends_on.isoformat()}").get_data(as_text=True)
    assert 'data-testid="stat-planned">0<' in other
    bad = organiser_client.get(base + "?day=2027-13-40")
    assert bad.status_code == 400 and "pas une date" in bad.get_data(as_text=True)
    outside = organiser_client.get(base + "?day=2030-01-01")
    assert outside.status_code == 400 and 'data-testid="day-error"' in outside.get_data(as_text=True)


def test_empty_states_say_why(organiser_client, world):
    base = f"/manage/e/{world.event.slug}/demonstrator/realised/"
    html = organiser_client.get(base).get_data(as_text=True)
    assert 'data-testid="no-plan"' in html
    plan = planning.request_plan(world.event, planning.PlanRequest(time_limit=2), actor_id=None)
    editing.publish(plan, actor_id=None)
    html = organiser_client.get(base).get_data(as_text=True)
    assert 'data-testid="no-scans"' in html and 'data-testid="no-plan"' not in html


def test_startup_page_lists_its_visits_and_unplanned_scans(organiser_client, world, published):
    _, visits = published
    v = visits[0]
    add_scan(world.event, v.startup_id, person_of(world, v), v.starts_at + timedelta(minutes=3))
    add_scan(world.event, v.startup_id, world.officials[1].id, v.starts_at + timedelta(hours=6))
    planned_here = sum(1 for x in visits if x.startup_id == v.startup_id)
    response = organiser_client.get(f"/manage/e/{world.event.slug}/demonstrator/realised/startups/{v.startup_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('data-testid="visit-row"') == planned_here
    assert 'data-testid="realised-yes"' in html
    assert html.count('data-testid="unplanned-row"') == 1
    official = world.officials[0]
    assert organiser_client.get(f"/manage/e/{world.event.slug}/demonstrator/realised/startups/{official.id}"
                                ).status_code == 404


def test_official_and_delegation_pages(organiser_client, world, published):
    _, visits = published
    base = f"/manage/e/{world.event.slug}/demonstrator/realised"
    alone = organiser_client.get(f"{base}/officials/{world.officials[0].id}")
    assert alone.status_code == 200
    mine = sum(1 for v in visits if v.registration_id == world.officials[0].id)
    assert alone.get_data(as_text=True).count('data-testid="visit-row"') == mine
    group = organiser_client.get(f"{base}/delegations/{world.delegation.id}")
    html = group.get_data(as_text=True)
    assert group.status_code == 200 and html.count('data-testid="member-row"') == 2
    assert organiser_client.get(f"{base}/delegations/999999").status_code == 404
    assert organiser_client.get(f"{base}/officials/999999").status_code == 404


def test_pages_of_another_edition_are_closed(client, world, published, make_event, make_organiser):
    other = make_event(slug="autre", name="Autre")
    login(client, make_organiser(other))
    assert client.get(f"/manage/e/{world.event.slug}/demonstrator/realised/").status_code == 403
    startup = world.startups[0].id
    assert client.get(f"/manage/e/{other.slug}/demonstrator/realised/startups/{startup}").status_code == 404


# -- the command -----------------------------------------------------------------------------------

def test_command_prints_the_figures(app, world, published):
    _, visits = published
    add_scan(world.event, visits[0].startup_id, person_of(world, visits[0]), visits[0].starts_at)
    result = app.test_cli_runner().invoke(args=["visits", "realised", "--event", world.event.slug])
    assert result.exit_code == 0, result.output
    rate = f"{100 / len(visits):.1f} %"
    assert "planned" in result.output and rate in result.output
    assert re.search(rf"^all days +{len(visits)} +1 +{re.escape(rate)} +0$", result.output, re.M), result.output
    assert "1 badge scan," in result.output


def test_command_refuses_bad_input(app, world):
    runner = app.test_cli_runner()
    no_plan = runner.invoke(args=["visits", "realised", "--event", world.event.slug])
    assert no_plan.exit_code == 1 and "no visit plan is published" in no_plan.output
    assert runner.invoke(args=["visits", "realised", "--event", "nope"]).exit_code == 2
    outside = runner.invoke(args=["visits", "realised", "--event", world.event.slug, "--day", "2030-01-01"])
    assert outside.exit_code == 2 and "not a day of this edition" in outside.output


def test_report_over_six_thousand_visits_and_ten_thousand_scans(world, published):
    """The size of a large summit: 6,000 planned visits and 10,000 scans, loaded, matched and tallied (its speed
    is measured by bench/bench_realised.py)."""
    plan, _ = published
    event = world.event
    categories = {c.code: c.id for c in db.session.scalars(select(Category).where(Category.event_id == event.id))}

    def people(n, code, prefix):
        persons = [Person(email=f"{prefix}{i}@bench.example.org", first_name="B", last_name=f"{prefix}{i}")
                   for i in range(n)]
        db.session.add_all(persons)
        db.session.flush()
        return list(db.session.scalars(insert(Registration).returning(Registration.id, sort_by_parameter_order=True), [
            dict(event_id=event.id, person_id=p.id, category_id=categories[code], status=RegistrationStatus.CONFIRMED,
                 days=[event.starts_on.isoformat()]) for p in persons]))
    startups, officials = people(120, CategoryCode.STARTUP, "s"), people(900, CategoryCode.ELU, "o")
    start = T0
    visits = []
    for i in range(6000):
        at = start + timedelta(minutes=12 * (i // 120))
        visits.append(dict(plan_id=plan.id, visitor_key=f"r{officials[i % 900]}", registration_id=officials[i % 900],
                           tour=0, stand_key=f"X{i}", startup_id=startups[i % 120], start=0.0, starts_at=at,
                           ends_at=at + timedelta(minutes=10), score=0.0, locked=False))
    db.session.execute(insert(PlannedVisit), visits)
    scans = [(v["startup_id"], v["registration_id"], v["starts_at"] + timedelta(minutes=3)) for v in visits] + \
        [(startups[i % 120], officials[(i * 7 + 1) % 900], start - timedelta(hours=2, minutes=i % 60))
         for i in range(4000)]
    pairs = sorted({(s, p) for s, p, _ in scans})
    lead_ids = list(db.session.scalars(insert(Lead).returning(Lead.id, sort_by_parameter_order=True), [
        dict(event_id=event.id, stand_id=s, registration_id=p, notes="", tags=[], first_scanned_at=start,
             last_scanned_at=start, num_scans=1) for s, p in pairs]))
    lead_of = dict(zip(pairs, lead_ids))
    db.session.execute(insert(Scan), [
        dict(event_id=event.id, lead_id=lead_of[(s, p)], stand_id=s, registration_id=p, client_id=f"b{i}",
             scanned_at=at, notes="", tags=[]) for i, (s, p, at) in enumerate(scans)])
    db.session.commit()

    report = realised.report(event)
    totals, by_startup, by_visitor = report.totals, report.by_startup(), report.by_visitor()
    assert report.num_scans == 10_000
    assert totals.realised >= 6000 and totals.planned >= 6000
    assert len(by_startup) >= 120 and len(by_visitor) >= 900
