"""The organiser's pages for people known across editions: likely duplicates, and the merge of two accounts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.i18n import localized
from app.core.params import form_int
from app.events.models import Event
from app.extensions import db
from app.outcomes import people_merge as services
from app.outcomes.organisations import MergeRefused, may_manage_organisations

bp = Blueprint("people_merge", __name__, url_prefix="/manage/people", template_folder="templates")


def _table_label(table: str) -> str:
    labels = [label for key, label in services.REFERENCE_LABELS.items() if key.split(".")[0] == table]
    return str(labels[0]) if len(labels) == 1 else table


def refusal(error: MergeRefused) -> tuple[int, str]:
    """The status and message of a refused merge of two people."""
    if error.code == "same":
        return 400, _("A person cannot be merged with herself: choose two different records.")
    if error.code == "unknown":
        return 404, _("No person has the number %(id)s: she may have been merged or removed already.",
                      id=error.params.get("id"))
    if error.code == "conflict":
        event_id = error.params.get("event_id")
        event = db.session.get(Event, event_id) if event_id is not None else None
        table = _table_label(error.params.get("table"))
        if event is not None:
            return 409, _("Both people hold a row of “%(table)s” in %(edition)s that must stay unique: resolve it in "
                          "that edition first (cancel one of the two), then merge.",
                          table=table, edition=localized(event, "name"))
        return 409, _("Both people hold a row of “%(table)s” that must stay unique: resolve it first, then merge.",
                      table=table)
    if error.code == "staff":
        return 403, _("A platform staff account can be merged away by platform staff only.")
    if error.code == "staff_kept":
        return 409, _("A platform staff account is merged only into another staff account: keep the staff account "
                      "and merge the other one into it.")
    if error.code == "yourself":
        return 409, _("You cannot merge your own account away: keep it, and merge the other one into it.")
    return 403, _("You may merge only people who appear in editions you organise, and in no other.")


def _check_manager() -> None:
    if not may_manage_organisations(current_user):
        abort(403)


@bp.get("/duplicates")
@requires(Access.LOGIN)
def duplicates():
    _check_manager()
    return render_template("people/duplicates.html", groups=services.duplicate_people(current_user))


@bp.get("/merge/<int:person_kept_id>/<int:person_dropped_id>")
@requires(Access.LOGIN)
def merge_preview(person_kept_id: int, person_dropped_id: int):
    _check_manager()
    try:
        preview = services.merge_preview(current_user, person_kept_id, person_dropped_id)
    except MergeRefused as error:
        abort(*refusal(error))
    blocked = refusal(preview.conflict)[1] if preview.conflict else None
    return render_template("people/merge.html", preview=preview, blocked=blocked)


@bp.post("/merge")
@requires(Access.LOGIN)
def merge():
    _check_manager()
    kept_id = form_int(request.form, "kept_id", default=None, label=_("The person kept"))
    dropped_id = form_int(request.form, "dropped_id", default=None, label=_("The person merged into her"))
    if kept_id is None or dropped_id is None:
        abort(400, _("Choose the person to keep and the one to merge into her."))
    try:
        kept = services.merge_people(current_user, kept_id, dropped_id)
    except MergeRefused as error:
        abort(*refusal(error))
    flash(_("The two records are one: %(name)s (%(email)s).", name=kept.full_name, email=kept.email), "success")
    return redirect(url_for("people_merge.duplicates"))
