"""`flask import-attendees FILE --event SLUG [--dry-run] [--notify]`: the same import, from a terminal."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from app.core.sentences import gettext as _
from app.events.models import Event
from app.extensions import db
from app.registrations.imports.messages import cleaned_lines_text, file_problem_text, row_error_line
from app.registrations.imports.parsing import FileProblem
from app.registrations.imports.services import ImportRefused, check_file, import_file


@click.command("import-attendees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--event", "slug", required=True, help="Short name (slug) of the edition.")
@click.option("--dry-run", is_flag=True, help="Check the file and print the preview; store nothing.")
@click.option("--notify", is_flag=True, help="Send the confirmation e-mails to the imported attendees.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the messages.")
@with_appcontext
def import_attendees_command(file: Path, slug: str, dry_run: bool, notify: bool, lang: str) -> None:
    """Import attendees from a CSV or XLSX FILE: every row, or none when a row is bad (exit status 1)."""
    with force_locale(lang):
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None:
            raise click.BadParameter(_("No edition has the short name “%(slug)s”.", slug=slug), param_hint="--event")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise click.BadParameter(str(exc), param_hint="FILE") from exc
        try:
            check = check_file(event, content, file.name)
        except FileProblem as problem:
            raise click.BadParameter(file_problem_text(problem), param_hint="FILE") from problem
        click.echo(_("%(lines)d lines read: %(new)d to create, %(unchanged)d already registered (unchanged), "
                     "%(bad)d with errors.", lines=check.parsed.num_lines, new=len(check.new_rows),
                     unchanged=len(check.existing), bad=len({e.line for e in check.parsed.errors})))
        if check.parsed.cleaned_lines:
            click.echo(cleaned_lines_text(check.parsed.cleaned_lines))
        for error in check.parsed.errors:
            click.echo(row_error_line(error), err=True)
        if check.parsed.errors:
            click.echo(_("Nothing was imported: fix these lines and run the command again."), err=True)
            sys.exit(1)
        if dry_run:
            click.echo(_("Dry run: nothing was stored."))
            return
        try:
            result = import_file(event, content, file.name, check, actor_id=None, notify=notify)
        except ImportRefused as refused:
            for error in refused.errors:
                click.echo(row_error_line(error), err=True)
            click.echo(_("Nothing was imported: fix these lines and run the command again."), err=True)
            sys.exit(1)
        click.echo(_("Imported: %(created)d created, %(unchanged)d unchanged, %(delegations)d delegations created.",
                     created=result["created"], unchanged=result["unchanged"],
                     delegations=result["delegations_created"]))


def init_app(app: Flask) -> None:
    app.cli.add_command(import_attendees_command)
