"""The organiser's plan pages: compute, follow, read the figures, edit by hand, re-optimise, publish."""
import json
import math
import re
from html import unescape
from datetime import timedelta

import pytest
import routing
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.core.timefmt import to_local
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.plans.problem import reference_of
from app.demonstrator.plans import planning, results
from app.demonstrator.plans.models import PlannedVisit, PlanStatus, VisitPlan
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.mail.models import OutboxMessage
from app.registrations.models import Registration
from tests.conftest import login


@pytest.fixture
def organiser_client(client, world, make_organiser):
    login(client, make_organiser(world.event))
    return client


def base(world) -> str:
    return f"/manage/e/{world.event.slug}/demonstrator/plans"


def fresh(plan_id: int) -> VisitPlan:
    db.session.expire_all()
    return db.session.get(VisitPlan, plan_id)


def compute(client, world, limit="2") -> VisitPlan:
    response = client.submit(f"{base(world)}/compute", {"time_limit": limit})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    plan_id = int(re.search(r"/plans/(\d+)$", response.headers["Location"])[1])
    return fresh(plan_id)


def body(response) -> str:
    return unescape(response.get_data(as_text=True))


def visit_row(visit_id: int) -> PlannedVisit | None:
    db.session.expire_all()
    return db.session.get(PlannedVisit, visit_id)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return body(response)


def text_of(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert match, testid
    return " ".join(match[1].split())


def local_hhmm(world, moment) -> str:
    return f"{to_local(moment, world.event.timezone):%H:%M}"


def test_compute_stores_a_draft_and_the_page_shows_its_figures(organiser_client, world):
    plan = compute(organiser_client, world)
    assert plan.status == PlanStatus.DRAFT
    assert plan.created_by is not None
    assert results.check_plan(plan) == []
    f = plan.figures
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    assert text_of(html, "fig-meetings") == str(f["num_meetings"])
    assert f"{f['num_visits']} visites" in html or f"{f['num_visits']} visite" in html
    assert text_of(html, "fig-visitors") == f"{f['num_visitors']}/{f['num_visitors_in_problem']}"
    assert text_of(html, "fig-stands") == f"{f['num_stands_visited']}/{f['num_stands']}"
    assert html.count('data-testid="visit-row"') == len(plan.visits) == f["num_visits"]
    # Visitors are named: the delegation by its name, officials by theirs.
    assert "Délégation de Bourges" in html
    # The gap to the bound, in words.
    gap = text_of(html, "fig-gap")
    assert "borne" in gap
    listing = page(organiser_client, base(world) + "/")
    assert "Version 1" in listing and "Brouillon" in listing


def test_startups_below_their_minimum_are_named_with_their_counts(organiser_client, world):
    plan = compute(organiser_client, world)
    # Remove every visit of stand A1: its startup falls below the minimum of 3.
    for visit in [v for v in plan.visits if v.stand_key == "A1"]:
        organiser_client.submit(f"{base(world)}/{plan.id}/visits/{visit.id}/remove")
    plan = fresh(plan.id)
    assert any(s["stand"] == "A1" and s["visits"] == 0 for s in plan.figures["shortfall"])
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    shortfall = html[html.index('data-testid="shortfall"'):]
    shortfall = shortfall[:shortfall.index("</ul>")]
    assert "Startup mobilite" in shortfall and "0 visite(s) sur 3" in shortfall or "0 sur 3" in shortfall
    assert 'data-testid="plan-edited"' in html


@pytest.mark.parametrize("limit", ["", "0", "abc", "601", "-3"])
def test_a_bad_time_limit_is_refused_and_nothing_is_stored(organiser_client, world, limit):
    response = organiser_client.submit(f"{base(world)}/compute", {"time_limit": limit})
    assert response.status_code == 422
    assert "un nombre de secondes entre 1 et 600" in body(response)
    assert planning.plans(world.event) == []


def test_a_second_computation_is_refused_while_one_runs(organiser_client, world, monkeypatch):
    monkeypatch.setattr(planning, "start_job", lambda *a, **k: Job(kind=planning.JOB_KIND))
    first = compute(organiser_client, world)
    assert first.status == PlanStatus.COMPUTING
    job = Job(kind=planning.JOB_KIND, event_id=world.event.id, status=JobStatus.RUNNING)
    db.session.add(job)
    db.session.flush()
    first.job_id = job.id
    db.session.commit()
    response = organiser_client.submit(f"{base(world)}/compute", {"time_limit": "2"})
    assert response.status_code == 409
    assert "Un calcul est déjà en cours" in body(response)
    assert len(planning.plans(world.event)) == 1


def test_nobody_to_route_is_refused_in_words(organiser_client, world):
    for official in world.officials:
        official.status = official.status.__class__.CANCELLED
    db.session.commit()
    response = organiser_client.submit(f"{base(world)}/compute", {"time_limit": "2"})
    assert response.status_code == 422
    assert "Personne ne peut être orienté" in body(response)
    assert planning.plans(world.event) == []


def test_no_stand_is_refused_in_words(organiser_client, world):
    for startup in world.startups:
        startup.status = startup.status.__class__.CANCELLED
    db.session.commit()
    response = organiser_client.submit(f"{base(world)}/compute", {"time_limit": "2"})
    assert response.status_code == 422
    assert "Aucun stand ne peut être visité" in body(response)
    assert planning.plans(world.event) == []


def test_locks_that_cannot_hold_are_refused_with_the_detail(organiser_client, world, monkeypatch):
    plan = compute(organiser_client, world)

    def broken(*args, **kwargs):
        raise routing.InvalidDocument("locked[0]: stand 'Z9' is not a stand of the document")
    monkeypatch.setattr(routing, "parse_problem", broken)
    response = organiser_client.submit(f"{base(world)}/{plan.id}/replan", {"time_limit": "2"})
    assert response.status_code == 422
    html = body(response)
    assert "Les visites verrouillées ne peuvent pas toutes tenir" in html and "Z9" in html
    assert len(planning.plans(world.event)) == 1


def test_lock_unlock_and_remove(organiser_client, world):
    plan = compute(organiser_client, world)
    visit = plan.visits[0]
    url = f"{base(world)}/{plan.id}/visits/{visit.id}"
    assert organiser_client.submit(f"{url}/lock", {"locked": "1"}).status_code == 302
    assert fresh(plan.id).visits and visit_row(visit.id).locked
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    assert 'data-testid="locked"' in html
    # A locked visit cannot be removed: refused with the reason, nothing changes.
    response = organiser_client.submit(f"{url}/remove")
    assert response.status_code == 409
    assert "Cette visite est verrouillée" in body(response)
    assert visit_row(visit.id) is not None
    assert organiser_client.submit(f"{url}/lock", {"locked": "0"}).status_code == 302
    assert not visit_row(visit.id).locked
    assert organiser_client.submit(f"{url}/lock", {}).status_code == 422
    count = len(fresh(plan.id).visits)
    assert organiser_client.submit(f"{url}/remove").status_code == 302
    plan = fresh(plan.id)
    assert len(plan.visits) == count - 1 == plan.figures["num_visits"]
    assert plan.figures["edited"] is True
    assert results.check_plan(plan) == []


def _free_move(plan):
    """A visit and a whole minute (the form takes HH:MM) where it can go without breaking a rule."""
    problem = routing.parse_problem(plan.problem)
    for visit in sorted(plan.visits, key=lambda v: -v.start):
        tour = problem.visitors[problem.visitor_index[visit.visitor_key]].tours[visit.tour]
        for shift in (-5, 5, -10, 10, -15, 15, -20, 20, -30, 30):
            start = math.ceil(visit.start) + shift
            others = [v for v in plan.visits if v.id != visit.id]
            moved = PlannedVisit(visitor_key=visit.visitor_key, tour=visit.tour, stand_key=visit.stand_key, start=start)
            solution = routing.parse_solution(results.solution_document(plan, others + [moved]), problem)
            if tour.from_ <= start and not [x for x in routing.violations(problem, solution) if x.kind != "objective"]:
                return visit, start
    return None, None


def test_move_a_visit_by_hand(organiser_client, world):
    plan = compute(organiser_client, world)
    visit, start = _free_move(plan)
    assert visit is not None
    new = plan.reference + timedelta(minutes=start)
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/{visit.id}/move",
                                       {"time": local_hhmm(world, new), "stand": visit.stand_key})
    assert response.status_code == 302, body(response)[:3000]
    moved = visit_row(visit.id)
    db.session.refresh(moved)
    assert moved.starts_at == new
    assert results.check_plan(fresh(plan.id)) == []


def test_a_refused_move_says_why_and_changes_nothing(organiser_client, world):
    plan = compute(organiser_client, world)
    visit = plan.visits[0]
    before = (visit.start, visit.stand_key)
    url = f"{base(world)}/{plan.id}/visits/{visit.id}/move"
    # 07:00 is before every tour.
    response = organiser_client.submit(url, {"time": "07:00", "stand": visit.stand_key})
    assert response.status_code == 422
    html = body(response)
    assert "en dehors des parcours" in html
    assert 'data-testid="visit-error"' in html
    # Onto a stand the same visitor already visits.
    other = next((v for v in plan.visits if v.visitor_key == visit.visitor_key and v.id != visit.id), None)
    if other is not None:
        response = organiser_client.submit(url, {"time": local_hhmm(world, visit.starts_at), "stand": other.stand_key})
        assert response.status_code == 422
        assert "visite déjà ce stand" in text_of(body(response), "plan-error"), text_of(body(response), "plan-error")
    # A stand that does not exist, a time that is not one.
    assert organiser_client.submit(url, {"time": "10:00", "stand": "Z9"}).status_code == 422
    response = organiser_client.submit(url, {"time": "25:99", "stand": visit.stand_key})
    assert response.status_code == 422 and "HH:MM" in body(response)
    db.session.expire_all()
    visit = visit_row(visit.id)
    assert (visit.start, visit.stand_key) == before
    assert not fresh(plan.id).figures.get("edited")


def test_a_move_onto_a_busy_stand_names_the_rule(organiser_client, world):
    plan = compute(organiser_client, world)
    pair = None
    for a in plan.visits:
        for b in plan.visits:
            if a.visitor_key != b.visitor_key and a.stand_key != b.stand_key and not any(
                    v.visitor_key == a.visitor_key and v.stand_key == b.stand_key for v in plan.visits):
                pair = (a, b)
                break
        if pair:
            break
    a, b = pair
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/{a.id}/move",
                                       {"time": local_hhmm(world, b.starts_at), "stand": b.stand_key})
    assert response.status_code == 422
    html = body(response)
    assert "Refusé" in html and "Vérificateur" in html
    assert ("déjà complet" in html) or ("ne peut pas y être à temps" in html) or ("pas ouvert" in html)


def test_replan_keeps_the_locks_and_publish_tells_people(organiser_client, world):
    plan = compute(organiser_client, world)
    visit = plan.visits[0]
    organiser_client.submit(f"{base(world)}/{plan.id}/visits/{visit.id}/lock", {"locked": "1"})
    response = organiser_client.submit(f"{base(world)}/{plan.id}/replan", {"time_limit": "2"})
    assert response.status_code == 302
    replan = fresh(int(response.headers["Location"].rsplit("/", 1)[1]))
    assert replan.status == PlanStatus.DRAFT and replan.origin == "replan" and replan.based_on_id == plan.id
    kept = [v for v in replan.visits if (v.visitor_key, v.stand_key, v.start) == (visit.visitor_key, visit.stand_key, visit.start)]
    assert kept and kept[0].locked
    response = organiser_client.submit(f"{base(world)}/{replan.id}/publish", follow_redirects=True)
    html = body(response)
    sent = db.session.scalar(select(db.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind.in_(("visits_ready", "visits_changed"))))
    assert sent > 0
    assert f"{sent} personnes seront prévenues par e-mail" in html
    assert fresh(replan.id).status == PlanStatus.PUBLISHED
    # The published plan offers the re-plan of the rest of the day, which keeps the locks.
    assert 'data-testid="rest-of-day"' in html
    response = organiser_client.submit(f"{base(world)}/{replan.id}/rest-of-day", {"time_limit": "2"})
    assert response.status_code == 302
    day = fresh(int(response.headers["Location"].rsplit("/", 1)[1]))
    assert day.origin == "day" and day.status == PlanStatus.DRAFT
    assert results.check_plan(day) == []


def test_rest_of_day_needs_the_published_plan(organiser_client, world):
    plan = compute(organiser_client, world)
    response = organiser_client.submit(f"{base(world)}/{plan.id}/rest-of-day", {"time_limit": "2"})
    assert response.status_code == 409
    assert len(planning.plans(world.event)) == 1


def test_cancel_refuses_when_nothing_runs(organiser_client, world):
    plan = compute(organiser_client, world)
    response = organiser_client.submit(f"{base(world)}/{plan.id}/cancel", follow_redirects=True)
    assert "Ce plan n'est pas en cours de calcul" in body(response)
    assert fresh(plan.id).status == PlanStatus.DRAFT


def test_cancel_a_running_computation_and_follow_its_progress(organiser_client, world, monkeypatch):
    monkeypatch.setattr(planning, "start_job", lambda *a, **k: Job(kind=planning.JOB_KIND))
    plan = compute(organiser_client, world, limit="30")
    job = Job(kind=planning.JOB_KIND, event_id=world.event.id, status=JobStatus.RUNNING, params={"plan_id": plan.id})
    db.session.add(job)
    db.session.flush()
    plan.job_id = job.id
    plan.figures = {**plan.figures, "best": 41.5, "bound": 50.0, "elapsed": 12.0}
    db.session.commit()
    data = organiser_client.get(f"{base(world)}/{plan.id}/progress.json").get_json()
    assert data["status"] == "computing"
    assert (data["best"], data["bound"], data["elapsed"], data["time_limit"]) == (41.5, 50.0, 12.0, 30.0)
    assert data["fraction"] == pytest.approx(0.4)
    assert data["job"]["status"] == "running"
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    assert text_of(html, "progress-best") == "41,5"
    assert text_of(html, "progress-elapsed") == "12"
    assert text_of(html, "progress-gap") == "à 17 % de la borne"
    assert 'data-testid="refresh"' in html and 'http-equiv="refresh"' not in html
    response = organiser_client.submit(f"{base(world)}/{plan.id}/cancel", follow_redirects=True)
    assert "meilleur plan trouvé" in body(response)
    db.session.expire_all()
    assert db.session.get(Job, job.id).cancel_requested
    # The job, run now, sees the request and stops with the best plan so far.
    job.status = JobStatus.QUEUED
    db.session.commit()
    from app.jobs.runner import execute_job
    execute_job(job.id)
    plan = fresh(plan.id)
    assert plan.status == PlanStatus.DRAFT
    assert plan.figures["status"] == "cancelled"
    data = organiser_client.get(f"{base(world)}/{plan.id}/progress.json").get_json()
    assert data["status"] == "draft" and data["figures"]["num_visits"] == len(plan.visits)


def test_a_plan_whose_job_died_shows_as_failed(organiser_client, world, monkeypatch):
    monkeypatch.setattr(planning, "start_job", lambda *a, **k: Job(kind=planning.JOB_KIND))
    plan = compute(organiser_client, world)
    job = Job(kind=planning.JOB_KIND, event_id=world.event.id, status=JobStatus.FAILED)
    db.session.add(job)
    db.session.flush()
    plan.job_id = job.id
    db.session.commit()
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    assert 'data-testid="plan-failed"' in html
    assert organiser_client.get(f"{base(world)}/{plan.id}/progress.json").get_json()["status"] == "failed"


def test_a_failed_planning_job_says_why_on_the_plan(organiser_client, world, monkeypatch):
    """The job's work is rolled back whole when it fails; the plan is marked failed with the job's reason."""
    monkeypatch.setattr(planning, "start_job", lambda *a, **k: Job(kind=planning.JOB_KIND))
    plan = compute(organiser_client, world)
    job = Job(kind=planning.JOB_KIND, event_id=world.event.id, status=JobStatus.QUEUED, params={"plan_id": plan.id})
    db.session.add(job)
    db.session.flush()
    plan.job_id = job.id
    plan.problem = {**plan.problem, "speed": -1}  # a document the optimiser refuses
    db.session.commit()
    from app.jobs.runner import execute_job
    execute_job(job.id)
    html = page(organiser_client, f"{base(world)}/{plan.id}")
    assert 'data-testid="plan-failed"' in html
    assert "The planning document is invalid" in html
    assert fresh(plan.id).status == PlanStatus.FAILED


def test_downloaded_documents_pass_the_routing_check(organiser_client, world, tmp_path):
    plan = compute(organiser_client, world)
    # Hand edits too: the documents are those of the plan as it is now.
    organiser_client.submit(f"{base(world)}/{plan.id}/visits/{plan.visits[0].id}/lock", {"locked": "1"})
    organiser_client.submit(f"{base(world)}/{plan.id}/visits/{plan.visits[-1].id}/remove")
    problem = organiser_client.get(f"{base(world)}/{plan.id}/problem.json")
    solution = organiser_client.get(f"{base(world)}/{plan.id}/solution.json")
    assert problem.status_code == solution.status_code == 200
    assert "attachment" in solution.headers["Content-Disposition"]
    (tmp_path / "problem.json").write_bytes(problem.data)
    (tmp_path / "solution.json").write_bytes(solution.data)
    from routing.cli import main
    assert main(["check", str(tmp_path / "problem.json"), str(tmp_path / "solution.json")]) == 0
    doc = json.loads(solution.data)
    assert doc["format"] == "visit-routing-solution/1"
    assert sum(len(t["visits"]) for t in doc["tours"]) == fresh(plan.id).figures["num_visits"]
    assert json.loads(problem.data)["locked"]


def test_objective_with_many_decimals_still_checks(organiser_client, world, tmp_path):
    """The stored figure is rounded for reading; the downloaded document states the exact objective."""
    hall = get_hall(world.event)
    hall.weight_theme = 1.234567
    db.session.commit()
    plan = compute(organiser_client, world)
    # What `flask visits export` writes (the stored solution document) checks too.
    assert results.check_plan(plan) == []
    (tmp_path / "p.json").write_bytes(organiser_client.get(f"{base(world)}/{plan.id}/problem.json").data)
    (tmp_path / "s.json").write_bytes(organiser_client.get(f"{base(world)}/{plan.id}/solution.json").data)
    from routing.cli import main
    assert main(["check", str(tmp_path / "p.json"), str(tmp_path / "s.json")]) == 0


def test_occupancy_and_map(organiser_client, world):
    plan = compute(organiser_client, world)
    html = page(organiser_client, f"{base(world)}/{plan.id}/occupancy")
    assert html.count('data-testid="gantt-bar"') == len(plan.visits)
    assert "Délégation de Bourges" in html and "10:00" in html
    html = page(organiser_client, f"{base(world)}/{plan.id}/map")
    tours = {(v.visitor_key, v.tour) for v in plan.visits}
    # Nothing chosen yet: one visitor's routes (the first by name, selected in the list), not everyone's.
    first = re.search(r'<option value="([dr]\d+)" selected>', html)[1]
    assert html.count('data-testid="route-path"') == len({t for t in tours if t[0] == first}) < len(tours)
    html = page(organiser_client, f"{base(world)}/{plan.id}/map?show=all&visitor=")
    assert html.count('data-testid="route-path"') == len(tours)
    # Filter on the afternoon slot: only the tours that start then.
    afternoon = next(o for o in re.findall(r'<option value="(slot:\d+)"[^>]*>([^<]*)</option>', html) if "Après-midi" in o[1])
    html = page(organiser_client, f"{base(world)}/{plan.id}/map?show={afternoon[0]}&visitor=")
    reference = plan.reference
    later = {(v.visitor_key, v.tour) for v in plan.visits if to_local(v.starts_at, world.event.timezone).hour >= 14}
    assert html.count('data-testid="route-path"') == len(later)
    # One visitor's tours only.
    key = f"d{world.delegation.id}"
    html = page(organiser_client, f"{base(world)}/{plan.id}/map?visitor={key}")
    assert html.count('data-testid="route-path"') == len({t for t in tours if t[0] == key})
    # An unknown filter value shows everything.
    html = page(organiser_client, f"{base(world)}/{plan.id}/map?show=nonsense&visitor=r0")
    assert html.count('data-testid="route-path"') == len(tours)
    assert reference


def test_capacity_two_stand_stacks_overlapping_visits(organiser_client, world):
    world.stands[0].capacity = 2
    db.session.commit()
    plan = compute(organiser_client, world)
    html = page(organiser_client, f"{base(world)}/{plan.id}/occupancy")
    assert "×2" in html


def test_urls_of_another_edition_are_not_found(organiser_client, world, make_event, make_registration):
    plan = compute(organiser_client, world)
    other = make_event(slug="autre", name="Autre")
    url = f"/manage/e/{other.slug}/demonstrator/plans/{plan.id}"
    # The organiser of the first edition does not organise the other one.
    assert organiser_client.get(url).status_code == 403
    visit = plan.visits[0]
    assert organiser_client.submit(f"{base(world)}/{plan.id}/visits/999999/remove").status_code == 404
    assert organiser_client.get(f"{base(world)}/999999").status_code == 404
    # A visit of another plan under this plan's URL.
    second = compute(organiser_client, world)
    assert organiser_client.submit(f"{base(world)}/{second.id}/visits/{visit.id}/remove").status_code == 404
    assert db.session.scalar(select(Registration).limit(1)) is not None


def test_visitors_are_paged_and_filtered_and_an_edit_returns_to_the_visitor(organiser_client, world, monkeypatch):
    from app.demonstrator.plans import routes as plan_routes
    monkeypatch.setattr(plan_routes, "VISITORS_PER_PAGE", 2)
    plan = compute(organiser_client, world)
    routed = {v.visitor_key for v in plan.visits}
    assert len(routed) > 2
    first = page(organiser_client, f"{base(world)}/{plan.id}")
    second = page(organiser_client, f"{base(world)}/{plan.id}?page=2")
    assert first.count('data-testid="visitor"') == 2 and "Page 1 sur" in first
    shown_first = set(re.findall(r'id="visitor-(\w+)"', first))
    shown_second = set(re.findall(r'id="visitor-(\w+)"', second))
    assert shown_first and shown_second and not shown_first & shown_second
    key = sorted(shown_second)[0]
    only = page(organiser_client, f"{base(world)}/{plan.id}?visitor={key}")
    assert set(re.findall(r'id="visitor-(\w+)"', only)) == {key}
    # Nonsense in the address shows the first page.
    assert page(organiser_client, f"{base(world)}/{plan.id}?page=abc&visitor=zz").count('data-testid="visitor"') == 2
    visit = next(v for v in fresh(plan.id).visits if v.visitor_key == key)
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/{visit.id}/lock", {"locked": "1"})
    assert response.headers["Location"].endswith(f"?page=2#visitor-{key}")
    # A refused edit shows the page where the visit is, with the reason next to it.
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/{visit.id}/remove")
    assert response.status_code == 409
    assert f'id="visitor-{key}"' in body(response) and 'data-testid="visit-error"' in body(response)


def test_a_plan_with_a_small_objective_of_many_decimals_passes_the_check(world):
    """The stored objective is what `flask visits export` writes: it must equal the checker's to 1e-6."""
    key = f"r{world.officials[0].id}"
    problem = {"format": "visit-routing/1", "locations": {"entrance": [0, 0], "stand:A1": [4, 3]}, "speed": 40,
               "stands": [{"id": "A1", "location": "stand:A1", "visit_duration": 10, "open": [[600, 720]]}],
               "visitors": [{"id": key, "tours": [{"start": "entrance", "end": "entrance", "from": 600, "to": 720}]}],
               "scores": [[key, "A1", 1.234567]], "locked": []}
    plan = VisitPlan(event_id=world.event.id, version=1, status=PlanStatus.DRAFT, problem=problem, figures={},
                     reference=reference_of(world.event), time_limit=2)
    plan.visits.append(PlannedVisit(visitor_key=key, tour=0, stand_key="A1", start=610, score=1.234567,
                                    starts_at=plan.reference + timedelta(minutes=610),
                                    ends_at=plan.reference + timedelta(minutes=620)))
    db.session.add(plan)
    db.session.flush()
    plan.figures = results.figures(plan)
    db.session.commit()
    assert results.check_plan(plan) == []


def _move_onto_a_full_stand(plan):
    """A visit and a stand and minute where its move breaks the stand's capacity (and nothing of its own tour)."""
    problem = routing.parse_problem(plan.problem)
    for a in plan.visits:
        others = [v for v in plan.visits if v.id != a.id]
        for b in plan.visits:
            if b.visitor_key == a.visitor_key or any(v.visitor_key == a.visitor_key and v.stand_key == b.stand_key
                                                     for v in plan.visits):
                continue
            moved = PlannedVisit(visitor_key=a.visitor_key, tour=a.tour, stand_key=b.stand_key, start=b.start)
            solution = routing.parse_solution(results.solution_document(plan, others + [moved]), problem)
            if {v.kind for v in routing.violations(problem, solution, check_objective=False)} == {"capacity"}:
                return a, b
    return None


def test_a_move_onto_a_full_stand_says_why_in_place_and_changes_nothing(organiser_client, world):
    """The check of a move looks at the stand it goes to: a full stand is refused with the reason, as the whole
    plan's check would, and the plan, its figures and its history are as they were."""
    plan = compute(organiser_client, world)
    found = _move_onto_a_full_stand(plan)
    assert found is not None, "no stand is full at another visit's time in this plan"
    a, b = found
    before = (a.tour, a.stand_key, a.start, a.starts_at)
    figures, problem = dict(plan.figures), dict(plan.problem)
    audits = db.session.scalar(select(func.count(AuditEntry.id)))
    response = organiser_client.submit(f"{base(world)}/{plan.id}/visits/{a.id}/move",
                                       {"time": local_hhmm(world, b.starts_at), "stand": b.stand_key},
                                       headers={"Accept": "application/json"})
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["ok"] is False and answer["visit"] == a.id
    assert "déjà complet" in answer["error"] and f"stand {b.stand_key!r}" in answer["error"], answer["error"]
    moved = visit_row(a.id)
    assert (moved.tour, moved.stand_key, moved.start, moved.starts_at) == before
    plan = fresh(plan.id)
    assert plan.figures == figures and plan.problem == problem and not plan.figures.get("edited")
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audits
    assert results.check_plan(plan) == []
