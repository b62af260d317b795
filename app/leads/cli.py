"""`flask leads export`: an edition's contacts (or one startup's) to a CSV or XLSX file; `flask leads purge`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.timefmt import utcnow
from app.events.models import Event
from app.extensions import db
from app.leads import exporting, retention, services
from app.registrations.queries import confirmed_startups

leads_cli = AppGroup("leads", help="Exhibitor contacts.")


@leads_cli.command("export")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--startup", "startup_name", help="Only this startup's contacts (its name, any case).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="FILE.csv or FILE.xlsx")
def export_command(slug: str, startup_name: str | None, output: Path) -> None:
    """Write the contacts that stands scanned to OUTPUT, with what each person agreed to share."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise click.BadParameter("the file name must end in .csv or .xlsx", param_hint="-o")
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.BadParameter(f"no edition with the short name {slug!r}", param_hint="--event")
    stand = None
    if startup_name:
        matches = [s for s in confirmed_startups(event)
                   if services.stand_name(s).casefold() == startup_name.strip().casefold()]
        if not matches:
            raise click.BadParameter(f"no confirmed startup named {startup_name!r} in {slug}", param_hint="--startup")
        stand = matches[0]
    leads = services.contacts(event, stand=stand)
    output.write_bytes(exporting.export_contacts(event, leads, fmt, stand=stand, actor_id=None, source="cli"))
    click.echo(f"{output}: {len(leads)} contacts")


@leads_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be erased.")
@click.option("--retention-days", type=click.IntRange(min=0), default=None,
              help="Days kept after an edition's last day (default: LEADS_RETENTION_DAYS).")
def purge_command(dry_run: bool, retention_days: int | None) -> None:
    """Erase the contacts and scans of editions that ended more than the retention period ago (S12)."""
    days = current_app.config["LEADS_RETENTION_DAYS"] if retention_days is None else retention_days
    today = utcnow().date()
    if dry_run:
        expired = retention.expired_editions(today=today, retention_days=days)
    else:
        expired = retention.purge_expired_contacts(today=today, retention_days=days)
    verb = "would erase" if dry_run else "erased"
    for edition in expired:
        click.echo(f"{edition.slug} (ended {edition.ends_on.isoformat()}): {verb} {edition.num_contacts} contacts, "
                   f"{edition.num_scans} scans")
    if not expired:
        click.echo(f"No edition ended more than {days} days ago holds contacts.")


def init_app(app: Flask) -> None:
    app.cli.add_command(leads_cli)
