"""The privacy feature's `subject` room: a person's rights over her data (issue 19). The map of every table that
holds personal data (`tables`), her export (`collect`, `exports`: a job builds one ZIP, downloadable once), her
erasure (`erasure.erase_person`, which retention calls too), her "Mes données" page, the organiser's page for a
registration, and `flask data export|erase`."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.jobs.labels import KindLabels, describe_kind
from app.privacy.subject import cli, exports, manage_routes, routes


def init_app(app: Flask) -> None:
    """Registers this room's blueprints, commands and job kind."""
    app.register_blueprint(routes.bp)
    app.register_blueprint(manage_routes.bp)
    app.cli.add_command(cli.data_cli)  # with `export` and `erase` (the privacy root adds the same group)
    describe_kind(app, exports.KIND, KindLabels(
        name=_l("Personal data export"),
        result=lambda job: [(str(_l("Rows")), str(job.result.get("rows", 0))),
                            (str(_l("Tables")), str(job.result.get("tables", 0)))]))
