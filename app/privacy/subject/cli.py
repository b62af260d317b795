"""`flask data export --person EMAIL -o FILE.zip` and `flask data erase --person EMAIL [--dry-run]`."""
from __future__ import annotations

from pathlib import Path

import click

from app.privacy.cli import data_cli
from app.privacy.subject.collect import collect
from app.privacy.subject.erasure import erase_person, preview_erasure
from app.privacy.subject.exports import build_zip
from app.privacy.subject.people import SubjectError, is_erased, person_by_email

REFUSALS = {
    "unknown_person": "no account has the address {email!r}",
    "already_erased": "this person's data is already erased",
    "staff": "a platform staff account cannot be erased: remove the staff role first",
    "sole_organiser": "this person is the only organiser of {edition}, which is not over: name another organiser first",
}


def _fail(error: SubjectError, email: str) -> None:
    message = REFUSALS.get(error.code, error.code).format(email=email, **error.params)
    raise click.ClickException(f"{message}; nothing was changed.")


@data_cli.command("export")
@click.option("--person", "email", required=True, help="The person's e-mail address.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The ZIP file to write.")
def export_command(email: str, output: Path) -> None:
    """Write everything Médiane holds about a person (every edition) to a ZIP of JSON files and a summary."""
    if output.suffix.lower() != ".zip":
        raise click.BadParameter("the file must end in .zip", param_hint="-o")
    if not output.parent.is_dir():
        raise click.BadParameter(f"the folder {str(output.parent)!r} does not exist", param_hint="-o")
    try:
        person = person_by_email(email)
        if is_erased(person):
            raise SubjectError("already_erased")
        found = collect(person.id)
    except SubjectError as error:
        _fail(error, email)
    output.write_bytes(build_zip(found, person.locale if person.locale in ("fr", "en") else "fr"))
    click.echo(f"Wrote {found.num_rows} rows of {len(found.tables)} tables to {output}")


@data_cli.command("erase")
@click.option("--person", "email", required=True, help="The person's e-mail address.")
@click.option("--dry-run", is_flag=True, help="Say what would be erased, change nothing.")
def erase_command(email: str, dry_run: bool) -> None:
    """Erase a person's personal data in every edition, keeping the editions' figures anonymised."""
    try:
        person = person_by_email(email)
        if dry_run:
            if is_erased(person):
                raise SubjectError("already_erased")
            counts = preview_erasure(person.id)
        else:
            counts = erase_person(person.id, actor_id=None, reason="command_line")
    except SubjectError as error:
        _fail(error, email)
    click.echo("Would erase (dry run):" if dry_run else "Erased:")
    for kind, n in counts.items():
        click.echo(f"  {kind}: {n}")
