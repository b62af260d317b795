"""`flask meetings place`: place all accepted meetings in the foreground, as the organiser's job does."""
from __future__ import annotations

import click
from sqlalchemy import select

from app.demonstrator.plans.results import check_plan
from app.events.models import Event
from app.extensions import db
from app.jobs.registry import JobError
from app.meetings.cli import meetings_cli
from app.meetings.errors import Conflict, MeetingError
from app.meetings.placement import placing
from app.meetings.placement.availability import routes_plan
from app.meetings.placement.jobs import running_job
from app.meetings.placement.messages import message


@meetings_cli.command("place")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--time-limit", type=click.FloatRange(placing.MIN_TIME_LIMIT, placing.MAX_TIME_LIMIT),
              default=placing.DEFAULT_TIME_LIMIT, show_default=True,
              help="Seconds for each step: the routes (when the stand meetings changed), then the tables.")
@click.option("--seed", type=click.IntRange(0), default=0, show_default=True)
def place_command(slug: str, time_limit: float, seed: int) -> None:
    """Place every accepted meeting: at the startup's stand on the official's routes, else at a table."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.BadParameter(f"no edition with the short name {slug!r}", param_hint="--event")
    if running_job(event) is not None:
        raise click.ClickException(message(Conflict("already_placing")))
    try:
        figures = placing.place_all(event, time_limit=time_limit, seed=seed, actor_id=None)
    except MeetingError as error:
        raise click.ClickException(message(error)) from None
    except JobError as error:  # the routes' computation failed (its locked visits cannot all hold, say)
        raise click.ClickException(str(error)) from None
    unplaced = figures["unplaced"]
    click.echo(f"placed {figures['placed']} of {figures['total']}")
    click.echo(f"{unplaced.get('no_common_slot', 0)} have no common free slot; "
               f"{unplaced.get('no_table', 0)} found no table left; {unplaced.get('person_busy', 0)} have someone "
               f"busy in every free slot")
    click.echo(f"tables: {figures['tables_placed']} of {figures['tables_total']} ({figures['method']}, a greedy "
               f"places {figures['greedy_placed']}, bound {figures['bound']:g}); stands: {figures['stands_placed']} "
               f"of {figures['stands_total']} (the others at tables); {figures['seconds']} s")
    plan = routes_plan(event)
    if plan is not None:
        found = check_plan(plan)
        state = "feasible by routing.check" if not found else f"{len(found)} violations: {found[0].message}"
        click.echo(f"routes: visit plan v{plan.version} ({plan.status}"
                   f"{', computed again' if figures['replanned'] else ''}), {state}")
        if found:
            raise SystemExit(1)

