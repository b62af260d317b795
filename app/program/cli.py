"""`flask program export`: the published program, or one attendee's itinerary, to a file."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.events.models import Event
from app.extensions import db
from app.people.models import Person
from app.program import feeds
from app.registrations.models import Registration

program_cli = AppGroup("program", help="The program of an edition.")
FORMATS = ("ics", "frab-xml", "frab-json", "csv")


@program_cli.command("export")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS))
@click.option("--person", "email", help="Export this attendee's itinerary (ics only).")
@click.option("--lang", default="fr", show_default=True, type=click.Choice(["fr", "en"]))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export(slug: str, fmt: str, email: str | None, lang: str, output: Path) -> None:
    """Write the published program (or --person's itinerary) in FORMAT to OUTPUT."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.BadParameter(f"no edition with the short name {slug!r}", param_hint="--event")
    if email:
        if fmt != "ics":
            raise click.BadParameter("an attendee's itinerary exists as ics only", param_hint="--format")
        registration = db.session.scalar(select(Registration).join(Person).where(
            Registration.event_id == event.id, Person.email == email.strip().lower()))
        if registration is None:
            raise click.BadParameter(f"{email} is not registered for {slug}", param_hint="--person")
        body = feeds.personal_ics(registration, lang)
    elif fmt == "ics":
        body = feeds.program_ics(event, lang)
    elif fmt == "frab-xml":
        body = feeds.frab_xml(event)
    elif fmt == "frab-json":
        body = json.dumps(feeds.frab_json(event), ensure_ascii=False, indent=1).encode()
    else:
        body = feeds.program_csv(event, lang)
    output.write_bytes(body)
    click.echo(f"{output}: {len(body)} bytes, {len(feeds.published_sessions(event))} published sessions")


def init_app(app: Flask) -> None:
    app.cli.add_command(program_cli)
