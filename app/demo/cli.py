"""`flask demo`: load a realistic demo edition (developers' tool; output in English)."""
from __future__ import annotations

import click
from flask import Flask, current_app

from app.auth.services import MIN_PASSWORD_LENGTH, AuthError
from app.core.urls import public_url
from app.demo.demonstrator import PLAN_SECONDS
from app.demo.generator import DEFAULT_SEED, DEFAULT_SLUG, ORGANISER_EMAIL, SLUG_PATTERN, DemoError, load_demo


def _check_slug(ctx: click.Context, param: click.Parameter, value: str) -> str:  # noqa: ARG001
    if not SLUG_PATTERN.fullmatch(value) or len(value) > 80:
        raise click.BadParameter("use lowercase letters, digits and single hyphens (e.g. sommet-nevers-2027)")
    return value


def _check_password(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:  # noqa: ARG001
    if value is not None and len(value) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"needs at least {MIN_PASSWORD_LENGTH} characters")
    return value


@click.command("demo")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="The same seed gives the same people, statuses and delegations.")
@click.option("--slug", default=DEFAULT_SLUG, show_default=True, callback=_check_slug,
              help="Short name of the demo edition.")
@click.option("--reset", is_flag=True, help="Delete the edition with this short name and its previous edition first "
                                          "(demo editions only), then load them again.")
@click.option("--password", callback=_check_password,
              help="Password of the organiser account (default: a random one, printed).")
@click.option("--in-production", is_flag=True,
              help="Allow loading under the production settings (it creates a staff account).")
@click.option("--plan-seconds", type=click.FloatRange(0, 600), default=PLAN_SECONDS, show_default=True,
              help="Seconds to compute the demonstrator's visit routes, which the demo publishes (0: no plan).")
def demo(seed: int, slug: str, reset: bool, password: str | None, in_production: bool, plan_seconds: float) -> None:
    """Create a realistic edition: ~1,000 registrations, 120 startups, 250 officials, 11 countries; and its
    previous edition, over, with check-ins, scans, outcomes and follow-up surveys."""
    if current_app.config["IS_PRODUCTION"] and not in_production:
        raise click.UsageError("these are the production settings: the demo creates a staff account with a "
                               "known login. Add --in-production if that is really wanted.")
    try:
        summary = load_demo(seed, slug, reset=reset, password=password, plan_seconds=plan_seconds)
    except AuthError as exc:  # the callback checks the length already; kept for other password rules
        raise click.BadParameter(str(exc.code), param_hint="--password") from exc
    except DemoError as exc:
        if exc.code == "not_a_demo":
            raise click.UsageError(f"edition {exc.params.get('slug', slug)!r} was not made by the demo (or has registrations it did "
                                   "not make); --reset only deletes demo editions. Choose another --slug.") from exc
        raise click.UsageError(exc.code) from exc
    if not summary.created and not summary.is_demo:
        click.echo(f"An edition {summary.slug} exists and is not a demo edition; nothing changed. "
                   "Choose another --slug.")
        return
    if not summary.created:
        click.echo(f"Demo edition {summary.slug} is already loaded ({summary.num_registrations} registrations); "
                   "nothing changed.")
        if summary.network_contact:
            click.echo(f"Network: {public_url('network.home')} · city contact {summary.network_contact} "
                       "(the password given)")
        click.echo(f"The organiser login ({ORGANISER_EMAIL}) was printed when it was created; "
                   "run again with --reset to recreate it (with a new password).")
        if summary.meetings:
            click.echo("Meetings on request: " + summary.meetings)
        if summary.previous:
            click.echo("Previous edition: " + summary.previous)
            click.echo("Network between summits: " + summary.network)
        else:
            click.echo("It has no previous edition (loaded by an older version): --reset loads both.")
        return
    click.echo(f"Demo edition: {summary.slug} (seed {seed}, {summary.seconds:.1f} s)")
    click.echo(f"Organiser login: {summary.organiser_email} / {summary.password}")
    click.echo(f"Door staff login: {summary.door_email} / {summary.password} (check-in and arrivals only)")
    if summary.api_token:
        click.echo(f"API token (city CRM, registrations:read): {summary.api_token}")
    click.echo(f"Registrations: {summary.num_registrations}; startups: {summary.num_startups}; "
               f"delegations: {summary.num_delegations}")
    click.echo("By category: " + ", ".join(f"{k} {v}" for k, v in summary.by_category.items()))
    click.echo("By status: " + ", ".join(f"{k} {v}" for k, v in summary.by_status.items()))
    click.echo("By country: " + ", ".join(f"{k} {v}" for k, v in summary.by_country.items()))
    if summary.demonstrator:
        click.echo("Demonstrator: " + summary.demonstrator)
    click.echo("Meetings on request: " + summary.meetings)
    click.echo("Previous edition: " + summary.previous)
    if summary.privacy:
        click.echo("Personal data: " + summary.privacy)
    click.echo(f"Network: {public_url('network.home')} · city contact {summary.network_contact} / {summary.password}")
    click.echo("Network between summits: " + summary.network)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo)
