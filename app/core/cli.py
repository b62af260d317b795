from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.core.catalogs import compile_catalogs

translations_cli = AppGroup("translations", help="Interface translations.")


@translations_cli.command("compile")
def compile_command() -> None:
    """Compile every feature's .po catalog."""
    written = compile_catalogs()
    click.echo(f"{len(written)} catalog(s) compiled")


def init_app(app: Flask) -> None:
    app.cli.add_command(translations_cli)
