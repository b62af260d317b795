"""The edition's dashboard: its figures against the stored rows (registrations week by week, arrivals by local
hour, leads per stand, the published plan's coverage, realised meetings), the previous edition it compares with,
and what it says when there is nothing yet."""
from collections import Counter
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.auth.models import RoleName
from app.auth.services import grant_role
from app.backoffice import figures
from app.badging.models import CheckIn
from app.core.timefmt import to_local, utcnow
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations.models import Registration
from app.registrations.services import cancel
from tests.conftest import login
from tests.demonstrator.conftest import world  # noqa: F401 (a fixture)
from tests.demonstrator.test_realised import add_scan, person_of, published  # noqa: F401 (a fixture)
from tests.html_tree import parse


def _cells(row) -> list[str]:
    return [cell.text for cell in row.children if cell.tag in ("th", "td")]


def _table(html: str, testid: str) -> list[list[str]]:
    """The rows of the table `testid` (header row included), each cell's text."""
    table = parse(html).find(data_testid=testid)
    assert table is not None, testid
    return [_cells(row) for row in table.find_all("tr")]


def _registered_at(registration: Registration, at: datetime) -> None:
    registration.created_at = at
    db.session.commit()


@given(st.dates(date(2026, 1, 1), date(2027, 12, 31)), st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_a_week_before_the_first_day_is_the_seven_days_before_it(day, first_day):
    week = figures.weeks_before(day, first_day)
    if day >= first_day:
        assert week == 0
    else:
        assert first_day - timedelta(days=7 * week) <= day < first_day - timedelta(days=7 * (week - 1))


@given(st.lists(st.dates(date(2026, 6, 1), date(2027, 6, 10)), max_size=40), st.integers(0, 60))
def test_a_point_counts_the_registrations_made_before_its_day(days, k):
    first_day = date(2027, 6, 2)
    counts = Counter(figures.weeks_before(day, first_day) for day in days)
    expected = len(days) if k == 0 else sum(1 for day in days if day < first_day - timedelta(days=7 * k))
    assert figures.cumulative(counts, [k]) == [expected]


def test_registrations_week_by_week_by_category_from_the_stored_rows(client, event, make_organiser,
                                                                     make_registration, monkeypatch):
    """The summit starts on Wednesday 2 June 2027 in Paris (UTC+2): a registration at 22:30 UTC on 25 May is made
    on 26 May, local time, seven days before: week 1, not week 2."""
    made = [  # (category, UTC moment, cancelled)
        (CategoryCode.VISITEUR, datetime(2027, 5, 25, 22, 30), False),   # local 26 May: week 1
        (CategoryCode.VISITEUR, datetime(2027, 5, 25, 21, 30), False),   # local 25 May 23:30: week 2
        (CategoryCode.ELU, datetime(2027, 5, 10, 9, 0), False),          # 23 days before: week 4
        (CategoryCode.ELU, datetime(2027, 5, 11, 9, 0), True),           # cancelled: not counted
        (CategoryCode.STARTUP, datetime(2027, 4, 1, 9, 0), False),       # 62 days before: week 9
        (CategoryCode.VISITEUR, datetime(2027, 6, 2, 8, 0), False),      # on the first day: only at "summit"
    ]
    rows = []
    for category, at, cancelled in made:
        registration = make_registration(event, category)
        _registered_at(registration, at)
        if cancelled:
            cancel(event, [registration.id], actor_id=None)
            db.session.commit()
        rows.append((category, to_local(at, event.timezone).date(), cancelled))
    curves = figures.registration_curves(event, None, now=datetime(2027, 7, 1))
    assert curves.points == list(range(9, 0, -1)) + [0]
    for i, k in enumerate(curves.points):
        limit = event.starts_on - timedelta(days=7 * k)
        expected = Counter(c for c, day, cancelled in rows if not cancelled and (k == 0 or day < limit))
        assert curves.total[i] == sum(expected.values()), k
        for category in (CategoryCode.VISITEUR, CategoryCode.ELU, CategoryCode.STARTUP):
            assert (curves.by_category[event.category(category.value).id][i] or 0) == expected[category], (k, category)
    # A week before (before 26 May, local): the registration of 25 May 23:30 counts, not that of 26 May 00:30.
    assert curves.total[-3:] == [2, 3, 5]

    login(client, make_organiser(event))
    monkeypatch.setattr(figures, "utcnow", lambda: datetime(2027, 7, 1))   # the page, after the summit
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    weeks = _table(html, "weeks-table")
    assert weeks[0][0] == "Semaines avant" and weeks[0][-1] == "Total"
    assert [row[-1] for row in weeks[1:]] == [str(n) for n in curves.total]
    assert 'data-testid="registrations-curve"' in html and 'data-testid="registrations-categories"' in html


def test_the_week_under_way_counts_what_is_made_to_date_and_later_points_are_left_blank(client, event,
                                                                                        make_organiser,
                                                                                        make_registration):
    _registered_at(make_registration(event), datetime(2027, 3, 1, 10, 0))
    _registered_at(make_registration(event), datetime(2027, 5, 19, 10, 0))
    curves = figures.registration_curves(event, None, now=datetime(2027, 5, 20, 12, 0))
    # 20 May: the point of 2 weeks before (19 May) is reached, that of 1 week before (26 May) is under way.
    assert list(zip(curves.points, curves.total))[-4:] == [(3, 1), (2, 1), (1, 2), (0, None)]
    assert curves.to_date == len(curves.points) - 2


def test_the_previous_edition_is_the_latest_earlier_one_of_the_same_team(event, make_event, make_person):
    anne, bruno, staff = make_person(), make_person(), make_person(is_staff=True)
    editions = {year: make_event(slug=f"sommet-{year}", name=f"Sommet {year}", starts_on=date(year, 6, 2),
                                 ends_on=date(year, 6, 4)) for year in (2024, 2025, 2028)}
    other_team = make_event(slug="autre-2026", name="Autre sommet 2026", starts_on=date(2026, 9, 1),
                            ends_on=date(2026, 9, 2))
    for person, events in ((anne, [event, editions[2024], editions[2025], editions[2028]]),
                           (bruno, [event, editions[2024]]), (make_person(), [other_team])):
        for e in events:
            grant_role(person, e.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    assert figures.previous_edition(event, anne) == editions[2025]    # not 2028 (later), nor 2024 (older)
    assert figures.previous_edition(event, bruno) == editions[2024]   # the one she organises
    assert figures.previous_edition(event, staff) == editions[2025]   # not the other team's, though later
    assert figures.previous_edition(editions[2024], anne) is None


def test_the_previous_edition_s_curve_is_aligned_on_its_own_first_day(client, event, make_event, make_organiser,
                                                                        make_registration, monkeypatch):
    organiser = make_organiser(event)
    before = make_event(slug="sommet-2026", name="Sommet 2026", starts_on=date(2026, 6, 3), ends_on=date(2026, 6, 5))
    grant_role(organiser, before.id, RoleName.ORGANISER, actor_id=None)
    db.session.commit()
    for at in (datetime(2026, 5, 20, 10, 0), datetime(2026, 5, 31, 10, 0), datetime(2026, 6, 3, 10, 0)):
        _registered_at(make_registration(before), at)   # weeks 2 and 1 before 3 June, then the summit
    _registered_at(make_registration(event), datetime(2027, 5, 30, 10, 0))
    curves = figures.registration_curves(event, figures.previous_edition(event, organiser), now=datetime(2027, 8, 1))
    assert curves.previous == before
    assert list(zip(curves.points, curves.previous_total)) == [(2, 0), (1, 1), (0, 3)]
    assert curves.total == [0, 0, 1]
    login(client, organiser)
    monkeypatch.setattr(figures, "utcnow", lambda: datetime(2027, 8, 1))
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    weeks = _table(html, "weeks-table")
    assert weeks[0][-1] == "Sommet 2026" and [row[-1] for row in weeks[1:]] == ["0", "1", "3"]
    assert "Sommet 2026" in parse(html).find(data_testid="registrations-curve").text


def _check_in(event, registration, at):
    db.session.add(CheckIn(event_id=event.id, registration_id=registration.id, at=at))
    db.session.commit()


def test_arrivals_by_local_hour_across_the_change_to_summer_time(client, make_event, make_organiser,
                                                                 make_registration):
    """Paris moves its clocks from 02:00 to 03:00 on Sunday 28 March 2027: 08:10 UTC is 09:10 on the Saturday and
    10:10 on the Sunday."""
    event = make_event(slug="printemps-2027", starts_on=date(2027, 3, 27), ends_on=date(2027, 3, 28))
    moments = [datetime(2027, 3, 27, 8, 10), datetime(2027, 3, 27, 8, 50), datetime(2027, 3, 27, 10, 5),
               datetime(2027, 3, 28, 8, 10), datetime(2027, 3, 28, 0, 30), datetime(2027, 3, 28, 1, 30)]
    for at in moments:
        _check_in(event, make_registration(event, days=event.days), at)
    arrivals = figures.arrivals(event)
    assert arrivals.counts == {(date(2027, 3, 27), 9): 2, (date(2027, 3, 27), 11): 1,
                               (date(2027, 3, 28), 10): 1, (date(2027, 3, 28), 1): 1, (date(2027, 3, 28), 3): 1}
    assert arrivals.hours == list(range(1, 12))
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    table = _table(html, "arrivals-table")
    assert table[0] == ["Heure", "sam. 27 mars", "dim. 28 mars"]
    by_hour = {row[0]: row[1:] for row in table[1:]}
    assert by_hour["09:00"] == ["2", "0"] and by_hour["10:00"] == ["0", "1"] and by_hour["03:00"] == ["0", "1"]
    assert by_hour["02:00"] == ["0", "0"]   # 02:00 does not exist on the Sunday: nobody arrives then
    assert 'data-testid="arrivals-chart"' in html and "arrivals-empty" not in html


def test_leads_per_stand_from_the_stored_leads(client, world, make_organiser):  # noqa: F811
    event, (a, b, c, _d) = world.event, world.startups
    at = datetime(2027, 6, 2, 9, 0)
    for startup, people in ((a, world.officials[:3]), (b, world.officials[:1]), (c, world.officials[:2])):
        for person in people:
            add_scan(event, startup.id, person.id, at)
    add_scan(event, a.id, world.officials[0].id, at + timedelta(hours=1))   # a second scan: still one lead
    leads = figures.leads_per_stand(event)
    assert [(s.name, s.stands, s.leads) for s in leads.top] == [
        ("Startup mobilite", ["A1"], 3), ("Startup donnees-numerique", ["A3"], 2), ("Startup energie", ["A2"], 1)]
    assert (leads.total, leads.num_stands) == (6, 3)
    assert [s.leads for s in figures.leads_per_stand(event, limit=2).top] == [3, 2]
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    assert _table(html, "leads-table")[1:] == [
        ["Startup mobilite", "A1", "3"], ["Startup donnees-numerique", "A3", "2"], ["Startup energie", "A2", "1"]]
    assert parse(html).find(data_testid="leads-totals").text.strip() == "6 contacts en tout, de 3 stands"
    chart = parse(html).find(data_testid="leads-chart").find("svg")
    assert chart.get("aria-label") == "Les 3 stands qui ont le plus de contacts. 6 contacts en tout."
    add_scan(event, b.id, world.officials[4].id, at)   # the charts drawn are kept, but not once the figures change
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    chart = parse(html).find(data_testid="leads-chart").find("svg")
    assert chart.get("aria-label") == "Les 3 stands qui ont le plus de contacts. 7 contacts en tout."
    assert [row[2] for row in _table(html, "leads-table")[1:]] == ["3", "2", "2"]


def test_the_plan_s_coverage_and_realised_meetings_are_those_of_their_pages(client, world, published,  # noqa: F811
                                                                            make_organiser):
    plan, visits = published
    add_scan(world.event, visits[0].startup_id, person_of(world, visits[0]), visits[0].starts_at)
    login(client, make_organiser(world.event))
    html = client.get(f"/manage/e/{world.event.slug}/").get_data(as_text=True)
    plan_page = client.get(f"/manage/e/{world.event.slug}/demonstrator/plans/{plan.id}").get_data(as_text=True)
    routed, in_problem = parse(plan_page).find(data_testid="fig-visitors").text.strip().split("/")
    routed_table = _table(html, "routed-table")
    assert routed_table[1][0] == "Élus" and routed_table[2][0] == "Délégations"
    assert sum(int(row[1]) for row in routed_table[1:]) == int(routed)
    assert sum(int(row[1]) + int(row[2]) for row in routed_table[1:]) == int(in_problem)
    shortfall = parse(plan_page).find(data_testid="shortfall")
    expected = len(shortfall.find_all("li")) if shortfall is not None else 0
    assert html.count('data-testid="shortfall-row"') == expected
    realised_page = client.get(f"/manage/e/{world.event.slug}/demonstrator/realised/").get_data(as_text=True)
    by_day = _table(realised_page, "by-day")
    mine = _table(html, "realised-table")
    assert [row[1:] for row in mine[1:]] == [row[1:] for row in by_day[1:]]
    assert mine[1][2] == "1"
    assert "style=" not in html and "<script>" not in html


def test_nothing_yet_is_said_plainly(client, event, make_organiser):
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    for empty in ("registrations-empty", "arrivals-empty", "leads-empty", "routes-empty", "realised-empty"):
        assert f'data-testid="{empty}"' in html, empty
    assert "<svg" not in html and "weeks-table" not in html


def test_registrations_only_before_the_summit(client, event, make_organiser, make_registration):
    """Registrations but no arrival, lead or plan yet: the curve, and the other sections say what is missing."""
    registration = make_registration(event)
    _registered_at(registration, utcnow() - timedelta(days=3))
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/").get_data(as_text=True)
    assert 'data-testid="registrations-curve"' in html and "registrations-empty" not in html
    assert html.count("<svg") == 2
    assert 'data-testid="arrivals-empty"' in html and 'data-testid="routes-empty"' in html
    rows = _table(html, "weeks-table")[1:]
    under_way = next(i for i, row in enumerate(rows) if row[0].endswith("(à ce jour)"))
    assert rows[under_way][-1] == "1"   # the week under way holds it
    assert {row[-1] for row in rows[under_way + 1:]} == {"—"}   # the weeks to come, and the summit, are blank
