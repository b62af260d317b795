"""`flask api create-token`: an organiser's API token from the command line, its secret printed once."""
from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.api.scopes import ORGANISER_SCOPES
from app.api.tokens import services
from app.events.models import Event
from app.extensions import db

api_cli = AppGroup("api", help="The public API.")

#: The service's refusals, for a terminal (English), with the option at fault.
REFUSALS = {
    "name_required": ("--name", "give the token a name (the tool that will use it)"),
    "name_too_long": ("--name", "at most {max} characters"),
    "scopes_required": ("--scope", "give at least one scope"),
    "scope_not_allowed": ("--scope", "{scope} is not a scope an organiser's token can hold"),
    "expiry_past": ("--expires", "the expiry date must be after today"),
    "expiry_too_far": ("--expires", "the expiry date must be within {days} days from today"),
}


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:  # noqa: ARG001
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("give a date as YYYY-MM-DD, e.g. 2027-06-30") from None


@api_cli.command("create-token")
@click.option("--event", "slug", required=True, help="The edition's short name.")
@click.option("--name", required=True, help="What uses the token, e.g. \"CRM de la ville\".")
@click.option("--scope", "scopes", multiple=True, required=True, metavar="SCOPE",
              help="A scope (repeat the option for several): " + ", ".join(ORGANISER_SCOPES) + ".")
@click.option("--expires", callback=_date, help="Last day it works (YYYY-MM-DD); default in 90 days.")
@click.option("--replace", is_flag=True, help="Revoke the edition's other live tokens of the same name (a rotation).")
def create_token_command(slug: str, name: str, scopes: tuple[str, ...], expires: date | None, replace: bool) -> None:
    """Make an API token for an edition and print its secret: it is shown this once, only its hash is kept."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.BadParameter(f"no edition with the short name {slug!r}", param_hint="--event")
    try:
        made = services.create_token(event, name=name, scopes=list(scopes), expires_on=expires, actor_id=None)
    except services.TokenError as error:
        option, text = REFUSALS.get(error.code, ("", error.code))
        raise click.BadParameter(text.format(**error.params), param_hint=option or None) from error
    if replace:
        older = [t for t in services.tokens_of(event) if t.name == made.token.name and t.id != made.token.id
                 and t.revoked_at is None]
        for token in older:
            services.revoke_token(token, actor_id=None)
        click.echo(f"Revoked {len(older)} earlier token(s) named {made.token.name!r}.", err=True)
    click.echo(f"Token {made.token.name!r} for {event.slug} ({', '.join(made.token.scopes)}), "
               f"valid until {made.token.expires_at.date().isoformat()}. It is shown this once:", err=True)
    click.echo(made.secret)


def init_app(app: Flask) -> None:
    app.cli.add_command(api_cli)
