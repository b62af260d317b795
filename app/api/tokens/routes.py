"""The pages where people make API tokens: an organiser's for the edition (/manage/e/<slug>/api/tokens), a
startup's team for its own stand's contacts (/e/<slug>/stand/api). A new token's secret is shown once, in the
answer to the form that made it: never in a flash message, a redirect or a log."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.api.scopes import SCOPE_LABELS
from app.api.tokens import services
from app.api.tokens.forms import StandTokenForm, TokenForm
from app.api.tokens.messages import message, status_of
from app.core.access import Access, requires
from app.core.sentences import gettext as _
from app.events.models import Event
from app.leads import services as leads
from app.leads.errors import LeadError
from app.leads.errors import message as lead_message
from app.registrations.models import Registration

bp = Blueprint("api_tokens", __name__, url_prefix="/manage/e/<slug>/api", template_folder="templates")
stand_bp = Blueprint("stand_api", __name__, url_prefix="/e/<slug>/stand/api", template_folder="templates")


def _create(form: TokenForm | StandTokenForm, event: Event, stand: Registration | None):
    """The new token, or None with the refusal on the form's field (nothing stored)."""
    if not form.validate_on_submit():
        if form.expires_on.errors:
            form.expires_on.errors = [_("Give the expiry date as a date, for example 2027-03-31.")]
        return None
    scopes = form.chosen_scopes() if isinstance(form, TokenForm) else ["leads:read"]
    try:
        return services.create_token(event, name=form.name.data or "", scopes=scopes,
                                     expires_on=form.expires_on.data, actor_id=current_user.id, stand=stand,
                                     form_id=(form.form_id.data or "").strip()[:40] or None)
    except services.TokenError as error:
        target = getattr(form, error.field or "name", form.name)
        target.errors = [*target.errors, message(error)]
        return None


def _answer(template: str, made, status: int, **context):
    listed = [*context["tokens"], *context.get("startup_tokens", [])]
    response = render_template(template, made=made, statuses={t.id: status_of(t) for t in listed},
                               scope_labels=SCOPE_LABELS, **context)
    headers = {"Cache-Control": "no-store"} if made is not None else {}
    return response, status, headers


@bp.route("/tokens", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def index(event: Event):
    form = TokenForm()
    made, status = None, 200
    if request.method == "POST":
        made = _create(form, event, None)
        if made is None:
            status = 422
        else:
            form = TokenForm(formdata=None)
    return _answer("api_tokens/tokens.html", made, status, event=event, form=form,
                   tokens=services.tokens_of(event), startup_tokens=services.startup_tokens_of(event))


@bp.post("/tokens/<int:api_token_id>/revoke")
@requires(Access.ORGANISER)
def revoke(event: Event, api_token_id: int):
    token = services.token_of(event, api_token_id)
    if token is None:
        abort(404)
    services.revoke_token(token, actor_id=current_user.id)
    flash(_("The token %(name)s is revoked: it no longer opens the API.", name=token.name), "success")
    return redirect(url_for("api_tokens.index", slug=event.slug))


def _stand(event: Event) -> Registration:
    stand = leads.stand_for(current_user, event)
    if stand is None:
        abort(403, lead_message(LeadError("not_on_a_stand")))
    return stand


@stand_bp.route("/", methods=["GET", "POST"])
@requires(Access.EXHIBITOR)
def page(event: Event):
    stand = _stand(event)
    form = StandTokenForm()
    made, status = None, 200
    if request.method == "POST":
        made = _create(form, event, stand)
        if made is None:
            status = 422
        else:
            form = StandTokenForm(formdata=None)
    return _answer("api_tokens/stand_tokens.html", made, status, event=event, stand=stand, form=form,
                   stand_name=leads.stand_name(stand), tokens=services.tokens_of(event, stand=stand))


@stand_bp.post("/<int:stand_token_id>/revoke")
@requires(Access.EXHIBITOR)
def revoke_stand_token(event: Event, stand_token_id: int):
    stand = _stand(event)
    token = services.token_of(event, stand_token_id, stand=stand)
    if token is None:
        abort(404)  # another stand's token is as good as unknown (S8)
    services.revoke_token(token, actor_id=current_user.id)
    flash(_("The token %(name)s is revoked: it no longer opens the API.", name=token.name), "success")
    return redirect(url_for("stand_api.page", slug=event.slug))
