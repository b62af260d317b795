"""The organiser's pages for organisations shared by the editions: likely duplicates, and the merge of two."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import form_int
from app.outcomes import organisations as services
from app.outcomes.organisations import KIND_LABELS, MergeRefused

bp = Blueprint("organisations", __name__, url_prefix="/manage/organisations", template_folder="templates")


def refusal(error: MergeRefused) -> tuple[int, str]:
    """The status and message of a refused merge."""
    if error.code == "same":
        return 400, _("An organisation cannot be merged with itself: choose two different records.")
    if error.code == "unknown":
        return 404, _("No organisation has the number %(id)s: it may have been merged or removed already.",
                      id=error.params.get("id"))
    if error.code == "conflict":
        return 409, _("Both records hold a row of “%(table)s” that must stay unique: resolve it in the edition "
                      "first, then merge.", table=error.params.get("table"))
    return 403, _("You may merge only organisations that appear in editions you organise, and in no other.")


def _check_manager() -> None:
    if not services.may_manage_organisations(current_user):
        abort(403)


@bp.get("/duplicates")
@requires(Access.LOGIN)
def duplicates():
    _check_manager()
    groups = services.duplicate_groups(current_user)
    return render_template("organisations/duplicates.html", groups=groups, kind_labels=KIND_LABELS)


@bp.get("/merge/<int:kept_id>/<int:dropped_id>")
@requires(Access.LOGIN)
def merge_preview(kept_id: int, dropped_id: int):
    _check_manager()
    try:
        preview = services.merge_preview(current_user, kept_id, dropped_id)
    except MergeRefused as error:
        abort(*refusal(error))
    return render_template("organisations/merge.html", preview=preview, kind_labels=KIND_LABELS)


@bp.post("/merge")
@requires(Access.LOGIN)
def merge():
    _check_manager()
    kept_id = form_int(request.form, "kept_id", default=None, label=_("The organisation kept"))
    dropped_id = form_int(request.form, "dropped_id", default=None, label=_("The organisation merged into it"))
    if kept_id is None or dropped_id is None:
        abort(400, _("Choose the organisation to keep and the one to merge into it."))
    try:
        kept = services.merge_organisations(current_user, kept_id, dropped_id)
    except MergeRefused as error:
        abort(*refusal(error))
    flash(_("The two records are one: “%(name)s”.", name=kept.name), "success")
    return redirect(url_for("organisations.duplicates"))
