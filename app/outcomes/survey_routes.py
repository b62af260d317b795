"""The follow-up survey's pages, opened by the one-time link of its e-mail, without logging in.

/survey/<token> asks what came of the person's meetings and takes her answers once; /survey/<token>/unsubscribe
stops the next waves. The token is in the address, so these pages send no referrer anywhere (not even to the
site's own files) and are not cached; they load nothing from another site (the CSP).
"""
from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale

from app.core.access import Access, requires
from app.core.sentences import gettext as _
from app.core.timefmt import format_day, utcnow
from app.outcomes import survey
from app.outcomes.errors import message
from app.outcomes.models import OutcomeSide, SurveyInvitation
from app.outcomes.services import OutcomeError, city_organisation
from app.outcomes.survey_forms import KIND_NAMES, STATUS_NAMES, answers_of, survey_form, unknown_fields

bp = Blueprint("survey", __name__, template_folder="templates")

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _outcome_message(error: OutcomeError) -> str:
    """What a refused outcome says on the survey: its own words for what a survey's answer can get wrong, else
    what the outcome pages say."""
    if error.code == "date_out_of_range":
        return _("Give a date from %(earliest)s to %(latest)s.", earliest=format_day(error.params["earliest"], "date"),
                 latest=format_day(error.params["latest"], "date"))
    if error.code in ("kind_invalid", "status_invalid"):
        return _("Choose one of the answers offered.")
    if error.code == "stand_without_organisation":
        return _("This startup has no organisation on record: the organisers will add it; try again later.")
    return message(error)


def _language(invitation: SurveyInvitation | None) -> AbstractContextManager:
    """The survey speaks the person's language, unless the visitor chose one with the switch."""
    if invitation is None or session.get("lang") in current_app.config["LANGUAGES"] or \
            invitation.person.locale not in current_app.config["LANGUAGES"]:
        return nullcontext()
    return force_locale(invitation.person.locale)


def _closed(invitation: SurveyInvitation | None, token: str, status: int | None = None):
    """The page of a link that takes no answers: unknown (404), expired (410) or already used."""
    if invitation is None:
        state, code = "unknown", 404
    elif invitation.answered_at is not None:
        state, code = "used", 200
    else:
        state, code = "expired", 410
    with _language(invitation):
        body = render_template("outcomes/survey_closed.html", state=state, invitation=invitation, token=token)
    return body, status or code, PRIVATE


def _page(invitation: SurveyInvitation, entries, form, status: int = 200, messages=None):
    with _language(invitation):
        body = render_template("outcomes/survey.html", invitation=invitation, event=invitation.event, form=form,
                               entries=entries, token=request.view_args["token"], messages=messages or [],
                               is_startup=invitation.side == OutcomeSide.STARTUP, kind_names=KIND_NAMES,
                               status_names=STATUS_NAMES, city_organisation=city_organisation)
    return body, status, PRIVATE


@bp.route("/survey/<token>", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def answer(token: str):
    invitation = survey.invitation_for(token)
    if invitation is None or invitation.answered_at is not None or survey.is_expired(invitation):
        status = None
        if request.method == "POST" and invitation is not None:
            status = 409 if invitation.answered_at is not None else 410
        return _closed(invitation, token, status)
    entries = survey.survey_meetings(invitation)
    with _language(invitation):
        form = survey_form(entries, utcnow().date())
    if request.method == "GET":
        survey.mark_opened(invitation)
        return _page(invitation, entries, form)
    with _language(invitation):
        is_valid = form.validate()
        extra = unknown_fields(request.form, form)
    if extra:
        with _language(invitation):
            message = _("These answers are not for meetings of this survey: %(fields)s. Nothing was stored.",
                        fields=", ".join(extra))
        return _page(invitation, entries, form, 422, [message])
    if not is_valid:
        return _page(invitation, entries, form, 422)
    answers, confirmations = answers_of(form, entries)
    try:
        survey.answer_survey(invitation.id, answers, confirmations)
    except survey.SurveyError as error:
        if error.code in ("used", "expired"):
            return _closed(invitation, token, 409 if error.code == "used" else 410)
        with _language(invitation):
            message = _("An answer is for a meeting or an outcome that is not in this survey. Nothing was stored.")
        return _page(invitation, entries, form, 422, [message])
    except OutcomeError as error:
        with _language(invitation):
            message = _outcome_message(error)
            key = error.params.get("meeting_key")
            target = {"status_on": "on", "kind": "kind", "status": "status"}.get(error.field or "")
            if key is not None and target and f"{target}_{key}" in form:
                form[f"{target}_{key}"].errors.append(message)
                return _page(invitation, entries, form, 422)
        return _page(invitation, entries, form, 422, [message])
    with _language(invitation):
        flash(_("Thank you: your answers are recorded."), "success")
    return redirect(url_for("survey.answer", token=token), 303)


@bp.route("/survey/<token>/unsubscribe", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def unsubscribe(token: str):
    invitation = survey.invitation_for(token)
    if invitation is None:
        return _closed(None, token)
    done = survey.is_opted_out(invitation.person_id)
    status = 200
    if request.method == "POST":
        from_form = request.form.get("confirm") == "yes"
        if not from_form:
            status = 422
        else:
            survey.opt_out(invitation.person_id)
            done = True
    with _language(invitation):
        body = render_template("outcomes/survey_unsubscribe.html", invitation=invitation, event=invitation.event,
                               token=token, done=done, refused=status == 422)
    return body, status, PRIVATE
