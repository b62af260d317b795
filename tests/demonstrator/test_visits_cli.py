"""`flask visits plan|export`: figures printed, documents that `python -m routing check` accepts, clear refusals."""
import json
import subprocess
import sys

from app.demonstrator.plans import planning
from app.demonstrator.plans.models import PlanStatus


def test_plan_prints_figures_and_publish_makes_it_the_itinerary(app, world):
    result = app.test_cli_runner().invoke(args=["visits", "plan", "--event", world.event.slug, "--time-limit", "2",
                                                "--publish"])
    assert result.exit_code == 0, result.output
    plan = planning.published_plan(world.event)
    assert plan is not None and plan.status == PlanStatus.PUBLISHED
    assert f"plan v{plan.version}" in result.output
    assert f"{plan.figures['num_visits']} visits" in result.output
    assert "bound" in result.output and "walking" in result.output


def test_exported_problem_and_plan_pass_routing_check(app, world, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["visits", "plan", "--event", world.event.slug, "--time-limit", "2"]).exit_code == 0
    problem, plan = tmp_path / "problem.json", tmp_path / "plan.json"
    result = runner.invoke(args=["visits", "export", "--event", world.event.slug, "--problem", str(problem),
                                 "--plan", str(plan)])
    assert result.exit_code == 0, result.output
    assert json.loads(problem.read_text())["format"] == "visit-routing/1"
    check = subprocess.run([sys.executable, "-m", "routing", "check", str(problem), str(plan)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    stored = planning.plans(world.event)[0]
    assert f"{stored.figures['objective']:g}" in check.stdout or str(round(stored.figures["objective"], 1)) in check.stdout


def test_bad_arguments_are_refused_with_a_message(app, world, tmp_path):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["visits", "plan", "--event", "nope"])
    assert unknown.exit_code == 2 and "nope" in unknown.output
    too_long = runner.invoke(args=["visits", "plan", "--event", world.event.slug, "--time-limit", "9999"])
    assert too_long.exit_code == 2 and "--time-limit" in too_long.output
    no_plan = runner.invoke(args=["visits", "export", "--event", world.event.slug, "--problem",
                                  str(tmp_path / "p.json"), "--plan", str(tmp_path / "s.json")])
    assert no_plan.exit_code == 1 and "no plan yet" in no_plan.output
    assert planning.plans(world.event) == []


def test_planning_without_tour_slots_says_why(app, event):
    result = app.test_cli_runner().invoke(args=["visits", "plan", "--event", event.slug, "--time-limit", "1"])
    assert result.exit_code == 1
    assert "no official" in result.output
