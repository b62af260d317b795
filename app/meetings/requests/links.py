"""The signed link of a request's e-mail, with which the person asked accepts or declines without logging in.

It is made with the house's signed tokens (itsdangerous, the app's secret key and a salt of its own, as the
password reset and the digest's unsubscribe links): it names the request and its recipient, carries no personal
data, and expires after MEETING_LINK_MAX_AGE_DAYS. It is good for one answer: once the request is answered,
cancelled or expired, the link shows what became of it and takes no answer.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.meetings.errors import MeetingError, NotFound
from app.meetings.requests.models import MeetingRequest

SALT = "meeting-request-answer"


class LinkExpired(MeetingError):
    status = 410


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def answer_token(request: MeetingRequest) -> str:
    return _serializer().dumps({"m": request.id, "r": request.to_registration_id})


def request_of(token: str) -> MeetingRequest:
    """The request a link is for. NotFound('unknown_link') for a forged or damaged link, or one whose request is
    gone; LinkExpired('link_expired') past its age."""
    max_age = current_app.config["MEETING_LINK_MAX_AGE_DAYS"] * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired("link_expired") from None
    except BadSignature:
        raise NotFound("unknown_link") from None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or not isinstance(data.get("r"), int):
        raise NotFound("unknown_link")
    request = db.session.get(MeetingRequest, data["m"])
    if request is None or request.to_registration_id != data["r"]:
        raise NotFound("unknown_link")
    return request
