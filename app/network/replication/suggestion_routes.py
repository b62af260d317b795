"""The organiser confirms or dismisses a wish the network suggests (listed on the demonstrator's wishes page)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.events.models import Event
from app.network.errors import Conflict, NotFound
from app.network.replication import messages, suggestions

bp = Blueprint("network_suggestions", __name__, url_prefix="/manage/e/<slug>/network/suggestions")


def _answer(event: Event, registration_id: int, startup_id: int, confirm: bool):
    try:
        suggestions.answer(event, registration_id, startup_id, confirm=confirm, actor_id=current_user.id)
    except NotFound:
        abort(404)
    except Conflict as error:  # answered meanwhile (a second click, another organiser): nothing more to do
        flash(messages.message(error), "info")
    else:
        flash(_("The wish is confirmed: it now counts in the scores.") if confirm else
              _("The suggestion is dismissed."), "success")
    if "wishes_manage.index" in current_app.view_functions:
        return redirect(url_for("wishes_manage.index", slug=event.slug, _anchor="wish-suggestions-title"))
    return redirect(url_for("backoffice.dashboard"))


@bp.post("/<int:registration_id>/<int:startup_id>/confirm")
@requires(Access.ORGANISER)
def confirm(event: Event, registration_id: int, startup_id: int):
    return _answer(event, registration_id, startup_id, True)


@bp.post("/<int:registration_id>/<int:startup_id>/dismiss")
@requires(Access.ORGANISER)
def dismiss(event: Event, registration_id: int, startup_id: int):
    return _answer(event, registration_id, startup_id, False)
