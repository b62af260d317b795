"""The print job as organisers read it: who it prints (a delegation, a category...), on what sheet, how far."""
from __future__ import annotations

import re

from flask import Flask
from flask_babel import format_number, lazy_gettext as _l

from app.badging.jobs import KIND
from app.badging.services import Selection
from app.core.sentences import gettext as _, ngettext
from app.events.labels import CATEGORY_LABELS
from app.events.models import CategoryCode
from app.extensions import db
from app.jobs.labels import KindLabels, describe_kind
from app.jobs.models import Job
from app.registrations.models import Delegation

SHEET_NAMES = {
    "a6": _l("A6, one badge per page"),
    "a4x4": _l("A4, four badges per sheet with cut marks"),
}

#: How the print job writes its progress: badges drawn / badges to draw.
_PROGRESS = re.compile(r"^(\d+)/(\d+)$")


def _who(selection: Selection, params: dict) -> str:
    if params.get("rest_of"):
        return _("The badges print job #%(id)s did not print", id=params["rest_of"])
    if selection.delegation_id is not None:
        delegation = db.session.get(Delegation, selection.delegation_id)
        return _("Delegation: %(name)s", name=delegation.name if delegation is not None else "?")
    if selection.category:
        try:
            name = CATEGORY_LABELS[CategoryCode(selection.category)]
        except ValueError:
            name = selection.category
        return _("Category: %(name)s", name=name)
    if selection.registration_ids:
        return ngettext("%(num)d person chosen", "%(num)d people chosen", len(selection.registration_ids))
    return _("Every confirmed registration")


def subject(job: Job) -> str:
    """"Delegation: Délégation d'Auxerre, not printed yet · A4, four badges per sheet with cut marks"."""
    params = job.params or {}
    selection = Selection.from_dict(params.get("selection") or {})
    who = _who(selection, params)
    if selection.new_only:
        who = _("%(who)s, badges not printed yet", who=who)
    sheet = SHEET_NAMES.get(params.get("sheet", ""), params.get("sheet", ""))
    return f"{who} · {sheet}"


def progress(job: Job) -> str:
    match = _PROGRESS.match(job.message or "")
    if match is None:
        return job.message
    done, total = int(match.group(1)), int(match.group(2))
    return ngettext("%(done)s of %(count)s badge drawn", "%(done)s of %(count)s badges drawn", total,
                    done=format_number(done), count=format_number(total))


def result(job: Job) -> list[tuple[str, str]]:
    figures = job.result or {}
    facts = [(_("Badges printed"), format_number(figures.get("badges", 0)))]
    if figures.get("sheet"):
        facts.append((_("Format"), str(SHEET_NAMES.get(figures["sheet"], figures["sheet"]))))
    if figures.get("rest"):
        facts.append((_("Still to print"), format_number(figures["rest"])))
    return facts


def init_app(app: Flask) -> None:
    describe_kind(app, KIND, KindLabels(_l("Badge printing"), subject=subject, progress=progress, result=result))
