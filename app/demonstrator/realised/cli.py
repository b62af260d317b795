"""`flask visits realised`: planned versus realised meetings from the command line."""
from __future__ import annotations

import click

from app.demonstrator.plans.cli import event_of, visits_cli
from app.demonstrator.realised import report as realised


@visits_cli.command("realised")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only this day (YYYY-MM-DD).")
def realised_command(slug: str, day) -> None:
    """Planned versus realised meetings: the published plan against the stands' badge scans."""
    event = event_of(slug)
    if day is not None and day.date() not in event.days:
        raise click.BadParameter(f"{day.date().isoformat()} is not a day of this edition "
                                 f"({event.starts_on.isoformat()} to {event.ends_on.isoformat()})", param_hint="--day")
    full = realised.report(event)
    if full.plan is None:
        raise click.ClickException(f"no visit plan is published for this edition yet ({full.num_scans} badge scans "
                                   "recorded); publish one with `flask visits plan --publish`")
    shown = full.on(day.date() if day else None)
    rows = [("all days" if day is None else day.date().isoformat(), shown.totals)]
    if day is None:
        rows += [(d.isoformat(), t) for d, t in full.by_day()]
    click.echo(f"plan v{full.plan.version}, {full.num_scans} badge scan{'' if full.num_scans == 1 else 's'}, tolerance "
               f"{int(realised.TOLERANCE.total_seconds() // 60)} min")
    click.echo(f"{'day':<12} {'planned':>8} {'realised':>9} {'rate':>7} {'unplanned':>10}")
    for label, t in rows:
        rate = f"{100 * t.rate:.1f} %" if t.rate is not None else "n/a"
        click.echo(f"{label:<12} {t.planned:>8} {t.realised:>9} {rate:>7} {t.unplanned:>10}")
    if not full.num_scans:
        click.echo("no badge has been scanned at a stand yet")
