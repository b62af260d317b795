"""`flask badges print`: the badges of an edition, or a part of it, to a PDF file."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.badging import services
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.registrations.models import Delegation

badges_cli = AppGroup("badges", help="Badges.")


@badges_cli.command("print")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--category", type=click.Choice([c.value for c in CategoryCode]))
@click.option("--delegation", "delegation_name", help="A delegation's name.")
@click.option("--new-only", is_flag=True, help="Only badges never printed.")
@click.option("--layout", "sheet", type=click.Choice(["a6", "a4x4"]), default="a6", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
def print_command(slug: str, category: str | None, delegation_name: str | None, new_only: bool, sheet: str,
                  output: Path) -> None:
    """Print the confirmed registrations' badges (all, or a category or delegation) to OUTPUT."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.BadParameter(f"no edition with the short name {slug!r}", param_hint="--event")
    delegation_id = None
    if delegation_name:
        delegation = db.session.scalar(select(Delegation).where(Delegation.event_id == event.id,
                                                                Delegation.name == delegation_name))
        if delegation is None:
            raise click.BadParameter(f"no delegation named {delegation_name!r} in {slug}", param_hint="--delegation")
        delegation_id = delegation.id
    selection = services.Selection(category=category or "", delegation_id=delegation_id, new_only=new_only)
    try:
        run = services.print_badges(event, selection, sheet, actor_id=None,
                                    progress=lambda done, total: click.echo(f"  {done}/{total}", err=True))
    except services.BadgeError as error:
        raise click.ClickException("no confirmed registration matches this selection: nothing printed"
                                   if error.code == "empty_selection" else error.code) from error
    output.write_bytes(run.pdf)
    click.echo(f"{output}: {run.num_badges} badges, {len(run.pdf) / 1e6:.1f} MB")


def init_app(app: Flask) -> None:
    app.cli.add_command(badges_cli)
