"""`flask create-organiser EMAIL`: an account that organises one edition, or all of them."""
from __future__ import annotations

import secrets
import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask

from app.auth.services import MIN_PASSWORD_LENGTH, normalise_email
from app.events import team
from app.events.services import edition_by_slug


@click.command("create-organiser")
@click.argument("email")
@click.option("--event", "slug", help="Organiser of this edition only (default: every edition, and creating new ones).")
@click.option("--first-name", default="Organisatrice", show_default=True)
@click.option("--last-name", default="Médiane", show_default=True)
@click.option("--password", help="At least 10 characters. Without it: asked for on a terminal, else generated and printed.")
def create_organiser_command(email: str, slug: str | None, first_name: str, last_name: str, password: str | None) -> None:
    """Create an organiser account (or give an existing person the role)."""
    try:
        email = normalise_email(validate_email(email, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    event = None
    if slug:
        event = edition_by_slug(slug)
        if event is None:
            raise click.BadParameter(f"no edition with the short name {slug!r}", param_hint="--event")
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password, generated = secrets.token_urlsafe(12), True
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"the password needs at least {MIN_PASSWORD_LENGTH} characters",
                                 param_hint="--password")
    team.create_organiser(email, password, event=event, first_name=first_name, last_name=last_name)
    scope = f"edition {event.slug}" if event else "every edition"
    click.echo(f"Organiser {email} ({scope})" + (f", password: {password}" if generated else ""))


def init_app(app: Flask) -> None:
    app.cli.add_command(create_organiser_command)
