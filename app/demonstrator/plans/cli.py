"""`flask visits plan|export`: the visit routes from the command line, for scripting and checks.

The `visits` group is shared by the demonstrator's rooms (the realised room adds `visits realised`)."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.demonstrator.plans import editing, planning
from app.demonstrator.plans.models import PlanStatus
from app.demonstrator.plans.problem import build_problem
from app.demonstrator.plans.results import solution_document
from app.events.models import Event
from app.jobs.registry import JobError
from app.extensions import db

visits_cli = AppGroup("visits", help="The demonstrator's visit routes.")


def event_of(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.BadParameter(f"no edition with the short name {slug!r}", param_hint="--event")
    return event


@visits_cli.command("plan")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--time-limit", type=click.FloatRange(planning.MIN_TIME_LIMIT, planning.MAX_TIME_LIMIT),
              default=planning.DEFAULT_TIME_LIMIT, show_default=True, help="Seconds the optimiser may use.")
@click.option("--seed", type=click.IntRange(0), default=0, show_default=True)
@click.option("--publish", is_flag=True, help="Publish the plan: it becomes everyone's itinerary.")
@click.option("--afresh", is_flag=True,
              help="Ignore the published plan (by default a new plan changes as few published visits as it can).")
def plan(slug: str, time_limit: float, seed: int, publish: bool, afresh: bool) -> None:
    """Compute a new plan of the visit routes (runs here, not in the worker) and print its figures."""
    event = event_of(slug)
    try:
        new = planning.request_plan(event, planning.new_plan_request(event, time_limit, afresh=afresh),
                                    actor_id=None, seed=seed, background=False)
    except planning.PlanningError as error:
        raise click.ClickException(_describe(error)) from None
    except JobError as error:
        raise click.ClickException(str(error)) from None
    if new.status != PlanStatus.DRAFT:
        raise click.ClickException(f"the plan failed: {new.error}")
    found = editing.publish(new, actor_id=None) if publish else None
    f = new.figures
    gap = f"{100 * (f['bound'] - f['objective']) / f['bound']:.1f} %" if f.get("bound") else "n/a"
    click.echo(f"plan v{new.version} ({new.status}): {f['num_visits']} visits ({f['num_meetings']} meetings) "
               f"for {f['num_visitors']}/{f['num_visitors_in_problem']} visitors at "
               f"{f['num_stands_visited']}/{f['num_stands']} stands")
    click.echo(f"objective {f['objective']:.1f}, bound {f.get('bound') or 0:.1f} (gap {gap}), "
               f"{len(f['shortfall'])} stands under their minimum, walking {f['walking_avg']:.1f} min per tour "
               f"on average (max {f['walking_max']:.1f}), {f.get('seconds')} s")
    if found is not None:
        click.echo(f"published: {found.num_routes} routes and {found.num_briefings} briefings changed; "
                   f"{found.num_people} people are told by e-mail (the job worker sends the notices)")


def _describe(error: planning.PlanningError) -> str:
    messages = {
        "already_running": "another plan of this edition is being computed; wait for it or cancel it",
        "no_visitors": "no official or decision maker can be routed (confirmed, attending a day with tour slots)",
        "no_stands": "no stand is held by a confirmed startup",
        "invalid_locks": "the locked visits cannot all hold: {detail}",
        "nothing_to_replan": "there is no plan to re-plan",
    }
    return messages.get(error.code, error.code).format(**error.params)


@visits_cli.command("export")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--problem", "problem_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the optimiser's input (visit-routing/1).")
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the current plan (visit-routing-solution/1).")
def export(slug: str, problem_path: Path, plan_path: Path | None) -> None:
    """Write the optimiser's input and the current plan in the formats of the routing spec.

    With --plan, the problem written is the one the plan was computed from, so that
    `python -m routing check PROBLEM PLAN` checks exactly what is stored.
    """
    event = event_of(slug)
    current = planning.published_plan(event) or next(
        (p for p in planning.plans(event) if p.status == PlanStatus.DRAFT), None)
    if plan_path is not None:
        if current is None:
            raise click.ClickException("this edition has no plan yet; run `flask visits plan` first")
        problem, solution = current.problem, solution_document(current)
        plan_path.write_text(json.dumps(solution, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        problem = build_problem(event).document
    problem_path.write_text(json.dumps(problem, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"{problem_path}: {len(problem['visitors'])} visitors, {len(problem['stands'])} stands"
               + (f"; {plan_path}: plan v{current.version} ({current.status})" if plan_path else ""))
