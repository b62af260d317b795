"""The page of a request's e-mail link: the person asked accepts or declines without logging in.

Opening the link changes nothing (mail scanners open links); the answer is a form sent from the page. The token
is in the address, so the page sends no referrer and is not cached. A forged link (404), an expired one (410) and
one whose request was already answered, cancelled or expired (the page says what became of it) get a clear page.
"""
from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import Blueprint, current_app, render_template, request, session
from flask_babel import force_locale

from app.core.access import Access, requires
from app.core.timefmt import utcnow
from app.meetings.errors import Conflict, MeetingError
from app.meetings.requests import links, messages, services
from app.meetings.requests.models import MeetingRequest, RequestStatus

bp = Blueprint("meeting_links", __name__, template_folder="templates")

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _language(meeting: MeetingRequest | None) -> AbstractContextManager:
    """The page speaks the recipient's language, unless the visitor chose one with the switch."""
    locale = meeting.recipient.person.locale if meeting is not None else None
    if locale not in current_app.config["LANGUAGES"] or session.get("lang") in current_app.config["LANGUAGES"]:
        return nullcontext()
    return force_locale(locale)


def _page(meeting: MeetingRequest | None, token: str, *, error: MeetingError | None = None, done: bool = False,
          status: int = 200):
    with _language(meeting):
        body = render_template("meetings/link.html", meeting=meeting, token=token, done=done,
                               event=meeting.recipient.event if meeting is not None else None,
                               error_text=messages.message(error) if error else None,
                               is_pending=meeting is not None and meeting.status is RequestStatus.PENDING
                               and error is None and not done)
    return body, status, PRIVATE


@bp.route("/meetings/answer/<token>", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def answer(token: str):
    try:
        meeting = links.request_of(token)
    except MeetingError as error:
        return _page(None, token, error=error, status=error.status)
    if request.method == "GET":
        if meeting.status is RequestStatus.PENDING and meeting.expires_at <= utcnow():
            return _page(meeting, token, error=Conflict("expired"), status=410)
        return _page(meeting, token)
    try:
        meeting = services.answer_by_link(meeting, request.form.get("decision", ""), request.form.get("reason", ""))
    except MeetingError as error:
        return _page(meeting, token, error=error, status=error.status)
    return _page(meeting, token, done=True)
