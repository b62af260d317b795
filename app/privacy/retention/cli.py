"""`flask data purge [--dry-run] [--kind KIND ...]`: the retention pass by hand (it also runs daily).

The `data` group is the privacy feature's (app.privacy.cli): the subject's room adds `export` and `erase` to it."""
from __future__ import annotations


import click
from flask import Flask, current_app

from app.core.timefmt import utcnow
from app.privacy.cli import data_cli
from app.privacy.retention.purge import KINDS, Outcome, RetentionError, purge


def _line(outcome: Outcome, dry_run: bool) -> str:
    verb = "would erase" if dry_run else "erased"
    what = ", ".join(f"{num} {noun}" for noun, num in outcome.counts.items())
    line = f"{outcome.kind} (kept {outcome.period} {outcome.unit}, before {outcome.boundary.isoformat()}): "
    return line + (f"{verb} {what}" if outcome.total else "nothing to erase")


@data_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be erased.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)), metavar="KIND",
              help=f"Only this kind (repeat for several): {', '.join(KINDS)}. Default: every kind.")
def purge_command(dry_run: bool, kinds: tuple[str, ...]) -> None:
    """Erase the personal data past its retention period (config.py, RETENTION_*), and say per kind what."""
    try:
        outcomes = purge(now=utcnow(), config=current_app.config, kinds=kinds or None, dry_run=dry_run)
    except RetentionError as error:
        raise click.ClickException(str(error)) from error
    for outcome in outcomes:
        click.echo(_line(outcome, dry_run))


def init_app(app: Flask) -> None:
    app.cli.add_command(data_cli)
