"""Publishing a plan: said before the click, notices sent once by a background job; re-computing keeps
what was published; short tours left free and said so; visit times on whole minutes."""
import re
from datetime import UTC, timedelta
from html import unescape

import pytest
import routing
from icalendar import Calendar
from sqlalchemy import func, select

from app.auth.services import set_password
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.plans import editing, notify, planning, results
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.demonstrator.plans.problem import whole_minute_walks
from app.demonstrator.plans.rounding import whole_minutes
from app.demonstrator.plans.tidy import drop_short_tours
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.registry import RUN_AGAIN, interrupt_hook
from app.jobs.runner import execute_job
from app.jobs.services import retry_job
from app.mail.models import OutboxMessage
from tests.conftest import TEST_PASSWORD, login

VISITS_KINDS = ("visits_ready", "visits_changed")


@pytest.fixture
def organiser_client(client, world, make_organiser):
    login(client, make_organiser(world.event))
    return client


def base(world) -> str:
    return f"/manage/e/{world.event.slug}/demonstrator/plans"


def compute(world, seed=0, **kwargs) -> VisitPlan:
    plan = planning.request_plan(world.event, planning.PlanRequest(time_limit=2, **kwargs), actor_id=None, seed=seed)
    return db.session.get(VisitPlan, plan.id, populate_existing=True)


def notices() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind.in_(VISITS_KINDS))))


def notify_jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).where(Job.kind == notify.JOB_KIND).order_by(Job.id)))


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.get_data(as_text=True)))


def test_the_confirmation_says_how_many_routes_change_and_who_is_told_and_the_job_tells_exactly_them(
        organiser_client, world):
    plan = compute(world)
    page = organiser_client.get(f"{base(world)}/{plan.id}")
    assert f'href="{base(world)}/{plan.id}/publish"' in page.get_data(as_text=True)
    preview = notify.preview(plan)
    assert preview.num_routes > 0 and preview.num_people > 0
    html = text(organiser_client.get(f"{base(world)}/{plan.id}/publish"))
    assert "Rien n'est encore publié" in html
    assert f"{preview.num_people} personnes seront prévenues par e-mail" in html
    assert f"Les parcours de {preview.num_routes} élus ou délégations changent" in html
    assert not notices()  # nothing sent by looking

    response = organiser_client.submit(f"{base(world)}/{plan.id}/publish", follow_redirects=True)
    assert response.status_code == 200
    assert f"{preview.num_people} personnes seront prévenues par e-mail" in text(response)
    [job] = notify_jobs()
    assert job.status == JobStatus.DONE and job.result["people"] == preview.num_people
    sent = notices()
    assert len(sent) == preview.num_people == len({m.recipient for m in sent})
    assert {m.kind for m in sent} == {"visits_ready"}
    # The confirmation of a plan already published goes back to the plan.
    assert organiser_client.get(f"{base(world)}/{plan.id}/publish").status_code == 302


def test_publishing_an_identical_plan_tells_nobody_and_starts_no_job(world):
    plan = compute(world)
    editing.publish(plan, actor_id=None)
    same = compute(world, origin="replan")
    changes = notify.preview(same)
    if changes.num_visits:
        pytest.skip("the re-plan moved visits: nothing to learn here")
    before = len(notices())
    found = editing.publish(same, actor_id=None)
    assert (found.num_routes, found.num_people) == (0, 0)
    assert len(notices()) == before and len(notify_jobs()) == 1


def test_a_notice_job_that_fails_half_way_stores_none_and_its_retry_tells_each_person_once(world, monkeypatch):
    plan = compute(world)
    real, calls = notify.send_mail, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ConnectionError("the mail template server went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(notify, "send_mail", failing)
    found = editing.publish(plan, actor_id=None)
    db.session.expire_all()
    assert db.session.get(VisitPlan, plan.id).status == PlanStatus.PUBLISHED  # the publication itself holds
    [job] = notify_jobs()
    assert job.status == JobStatus.FAILED
    assert notices() == []  # the two written before the failure were rolled back with it

    monkeypatch.setattr(notify, "send_mail", real)
    retry_job(job.id)
    [job] = notify_jobs()
    assert job.status == JobStatus.DONE
    sent = notices()
    assert len(sent) == found.num_people == len({m.recipient for m in sent})
    # A message delivered again finds the job done, and tells nobody twice.
    execute_job(job.id)
    assert len(notices()) == found.num_people
    # A job whose worker died wrote nothing (it commits its notices with its end): it runs again.
    assert interrupt_hook(notify.JOB_KIND)(job) is RUN_AGAIN


def test_computing_again_keeps_the_published_plan_unless_asked_to_start_afresh(organiser_client, world):
    first = compute(world)
    editing.publish(first, actor_id=None)
    html = text(organiser_client.get(f"{base(world)}/"))
    assert 'data-testid="compute-afresh"' in html
    response = organiser_client.submit(f"{base(world)}/compute", {"time_limit": "2"})
    assert response.status_code == 302
    kept = db.session.get(VisitPlan, int(response.headers["Location"].rsplit("/", 1)[1]), populate_existing=True)
    assert kept.origin == "replan" and kept.based_on_id == first.id
    assert kept.problem["previous"]["tours"] and kept.problem["change_penalty"] == get_hall(world.event).change_penalty
    assert results.check_plan(kept) == []
    # Every published visit stays (at most some are added), and the confirmation says so before the click.
    changes = notify.preview(kept)
    assert changes.num_routes_moved == 0
    html = text(organiser_client.get(f"{base(world)}/{kept.id}/publish"))
    if changes.num_routes:
        assert "toutes les visites publiées restent" in html
    else:
        assert "Aucun parcours d'élu ou de délégation ne change" in html and "Personne ne reçoit d'e-mail" in html
    response = organiser_client.submit(f"{base(world)}/compute", {"time_limit": "2", "afresh": "1"})
    fresh = db.session.get(VisitPlan, int(response.headers["Location"].rsplit("/", 1)[1]), populate_existing=True)
    assert fresh.origin == "plan" and fresh.problem["previous"] is None


def test_nothing_published_computes_from_scratch_without_the_afresh_choice(organiser_client, world):
    html = text(organiser_client.get(f"{base(world)}/"))
    assert 'data-testid="compute-afresh"' not in html
    response = organiser_client.submit(f"{base(world)}/compute", {"time_limit": "2"})
    plan = db.session.get(VisitPlan, int(response.headers["Location"].rsplit("/", 1)[1]), populate_existing=True)
    assert plan.origin == "plan"


# -- short tours -------------------------------------------------------------------------------------

def test_a_tour_shorter_than_the_setting_is_left_free_and_the_official_is_told(client, world):
    hall = get_hall(world.event)
    hall.min_route_visits = 4  # the world's tours hold 1 to 4 stands
    db.session.commit()
    plan = compute(world)
    short = plan.figures["short_tours"]
    assert short, "some tour of the small world holds fewer than 4 stands"
    tours: dict = {}
    for visit in plan.visits:
        tours.setdefault((visit.visitor_key, visit.tour), []).append(visit)
    assert all(len(visits) >= 4 or any(v.locked for v in visits) for visits in tours.values())
    assert not {(key, tour) for key, tour, *_ in short} & set(tours)
    assert results.check_plan(plan) == []
    editing.publish(plan, actor_id=None)
    # The official whose slot was left free reads it on her route, in her notice and in her calendar.
    key, _, start, end, _ = short[0]
    official = next(r for r in world.officials
                    if key in (f"r{r.id}", f"d{r.delegation_id}" if r.delegation_id else ""))
    set_password(official.person, TEST_PASSWORD)
    db.session.commit()
    login(client, official.person)
    html = text(client.get(f"/e/{world.event.slug}/demonstrator/route"))
    assert "Parcours libres" in html and "vous êtes libre" in html
    slot = re.search(r'data-testid="route-free-slot">([^<]*\d\d:\d\d–\d\d:\d\d)', html).group(1)
    [notice] = [m for m in notices() if m.recipient == official.person.email]
    day, _, hours = slot.partition(", ")
    assert f"- {day}, {hours.split(' · ')[0]}" in notice.body and free_line_fr(notice.body)
    assert_calendar_free(client, world, plan, start, end)


FREE_FR = "libre, aucune visite prévue sur ce créneau"


def free_line_fr(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith("- ") and line.endswith(FREE_FR)]


def assert_calendar_free(client, world, plan, start: float, end: float) -> None:
    """No visit event of the official's feed falls in the free slot (minutes `start` to `end` of the plan)."""
    feed = Calendar.from_ical(client.get(f"/e/{world.event.slug}/agenda.ics").data)
    free_from, free_to = (plan.reference + timedelta(minutes=m) for m in (start, end))
    for event in feed.walk("VEVENT"):
        if str(event["UID"]).startswith("visit-") and str(event.get("STATUS")) != "CANCELLED":
            begins = event["DTSTART"].dt.astimezone(UTC).replace(tzinfo=None)
            assert not free_from <= begins < free_to, event["SUMMARY"]


def test_an_official_with_every_slot_left_free_is_told_so_and_her_calendar_stays_free(client, world):
    get_hall(world.event).min_route_visits = 20  # no tour of the small world holds as many stands
    db.session.commit()
    plan = compute(world)
    assert not plan.visits and plan.figures["short_tours"]
    found = editing.publish(plan, actor_id=None)
    keys = {key for key, *_ in plan.figures["short_tours"]}
    assert found.num_routes == len(keys) and found.num_briefings == 0
    sent = {m.recipient: m for m in notices()}
    assert len(sent) == found.num_people > 0
    official = next(r for r in world.officials if f"r{r.id}" in keys)
    mine = [entry for entry in plan.figures["short_tours"] if entry[0] == f"r{official.id}"]
    body = sent[official.person.email].body
    assert len(free_line_fr(body)) == len(mine)
    assert "/demonstrator/route" in body
    assert not any(s.person.email in sent for s in world.startups)  # no startup gets a visitor
    set_password(official.person, TEST_PASSWORD)
    db.session.commit()
    login(client, official.person)
    for _, _, start, end, _ in mine:
        assert_calendar_free(client, world, plan, start, end)


def test_one_stand_is_no_tour_by_default_but_a_locked_one_is_kept():
    problem = routing.parse_problem({
        "format": "visit-routing/1", "locations": {"door": [0, 0], "A": [10, 0], "B": [20, 0]}, "speed": 40,
        "stands": [{"id": "A", "location": "A", "visit_duration": 10, "open": [[0, 600]]},
                   {"id": "B", "location": "B", "visit_duration": 10, "open": [[0, 600]]}],
        "visitors": [{"id": "r1", "tours": [{"start": "door", "end": "door", "from": 0, "to": 90},
                                            {"start": "door", "end": "door", "from": 100, "to": 190}]},
                     {"id": "r2", "tours": [{"start": "door", "end": "door", "from": 0, "to": 90}]}],
        "scores": [["r1", "A", 1], ["r1", "B", 1], ["r2", "A", 1]],
        "locked": [{"visitor": "r2", "tour": 0, "stand": "A"}]})
    solution = routing.parse_solution({"format": "visit-routing-solution/1", "tours": [
        {"visitor": "r1", "tour": 0, "visits": [{"stand": "B", "start": 5}]},
        {"visitor": "r1", "tour": 1, "visits": [{"stand": "A", "start": 105}]},
        {"visitor": "r2", "tour": 0, "visits": [{"stand": "A", "start": 20}]}]}, problem)
    kept, short = drop_short_tours(problem, solution, 2)
    assert [(t.visitor, t.tour) for t in kept.tours] == [("r2", 0)]
    assert short == [["r1", 0, 0.0, 90.0, 1], ["r1", 1, 100.0, 190.0, 1]]
    assert drop_short_tours(problem, solution, 1) == (solution, [])


# -- whole minutes -----------------------------------------------------------------------------------

def test_computed_visits_start_on_whole_minutes_and_the_plan_still_checks(world):
    plan = compute(world)
    assert plan.problem["travel_matrix"]["order"]
    assert all(isinstance(t, int) for row in plan.problem["travel_matrix"]["times"] for t in row)
    assert plan.visits and all(v.start == int(v.start) for v in plan.visits)
    assert all(v.starts_at.second == 0 and v.starts_at.microsecond == 0 for v in plan.visits)
    assert results.check_plan(plan) == []


def test_rounding_keeps_a_busy_stand_within_its_capacity():
    """At stand B (one group at a time) r2, r1 and r3 follow each other; r1's walk from A, rounded, would make it
    end after r3 starts, and r2 cannot move without crowding r1. The former rounding kept the exact times of the
    whole plan; now only those two keep theirs (whole-minute walks in the document avoid even that)."""
    problem = routing.parse_problem({
        "format": "visit-routing/1", "locations": {"door": [0, 0], "A": [10, 0], "B": [37, 0]}, "speed": 40,
        "stands": [{"id": "A", "location": "A", "visit_duration": 10, "open": [[0, 600]]},
                   {"id": "B", "location": "B", "visit_duration": 10, "open": [[0, 600]]}],
        "visitors": [{"id": f"r{n}", "tours": [{"start": "door", "end": "door", "from": 0, "to": 90}]}
                     for n in (1, 2, 3)],
        "scores": [["r1", "A", 1], ["r1", "B", 1], ["r2", "A", 1], ["r2", "B", 1], ["r3", "B", 1]]})
    solution = routing.parse_solution({"format": "visit-routing-solution/1", "tours": [
        {"visitor": "r1", "tour": 0, "visits": [{"stand": "A", "start": 0.25}, {"stand": "B", "start": 10.925}]},
        {"visitor": "r2", "tour": 0, "visits": [{"stand": "B", "start": 0.925}, {"stand": "A", "start": 11.605}]},
        {"visitor": "r3", "tour": 0, "visits": [{"stand": "B", "start": 20.925}]}]}, problem)
    assert routing.violations(problem, solution) == []
    rounded = whole_minutes(problem, solution)
    assert routing.violations(problem, rounded) == []
    starts = {t.visitor: [v.start for v in t.visits] for t in rounded.tours}
    assert starts == {"r1": [0.25, 10.925], "r2": [0.925, 11.605], "r3": [21.0]}


def test_the_walks_are_whole_minutes_rounded_up():
    walks = whole_minute_walks({"door": [0, 0], "A": [10, 0], "B": [80, 0]}, 40)
    order = walks["order"]
    time = {(a, b): walks["times"][i][j] for i, a in enumerate(order) for j, b in enumerate(order)}
    assert time[("door", "A")] == 1 and time[("door", "B")] == 2 and time[("A", "A")] == 0


def test_the_shortest_tour_is_a_setting_checked_by_the_form(organiser_client, world):
    url = f"/manage/e/{world.event.slug}/demonstrator/settings"
    page = organiser_client.get(url).get_data(as_text=True)
    assert 'name="min_route_visits"' in page and 'value="2"' in page
    hall = get_hall(world.event)
    data = {name: str(getattr(hall, name)) for name in (
        "width", "depth", "walking_speed", "visit_minutes", "min_visits", "weight_base", "weight_theme",
        "weight_wish", "weight_mutual", "shortfall_penalty", "change_penalty")}
    response = organiser_client.submit(url, {**data, "min_route_visits": "0"})
    assert response.status_code == 422
    db.session.expire_all()
    assert get_hall(world.event).min_route_visits == 2
    response = organiser_client.submit(url, {**data, "min_route_visits": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_hall(world.event).min_route_visits == 3
    assert db.session.scalar(select(func.count()).select_from(PlannedVisit)) == 0
