"""Who calls the API: the token behind `Authorization: Bearer mk_...`, checked and counted against its rate
limit before anything else is read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.api.contract.errors import ApiError
from app.api.models import API_TOKEN_PREFIX, ApiToken, token_hash
from app.core.ratelimit import count_request, seconds_to_next_minute
from app.core.timefmt import utcnow
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus


@dataclass(frozen=True)
class Caller:
    """An authenticated token as the endpoints need it: plain values that outlive any commit."""

    token_id: int
    event_id: int
    #: A startup's token: the stand (the startup's registration) whose contacts it reads; None for an organiser's.
    stand_id: int | None
    scopes: frozenset[str]
    name: str
    created_by_id: int | None

    @property
    def kind(self) -> str:
        return "stand" if self.stand_id is not None else "organiser"


def bearer_token(authorization: str | None) -> str:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def authenticate(authorization: str | None, *, now: datetime | None = None) -> Caller:
    """The live token of the request, or ApiError 401."""
    token = bearer_token(authorization)
    if not token:
        raise ApiError(401, "token_missing")
    if not token.startswith(API_TOKEN_PREFIX) or len(token) > 100:
        raise ApiError(401, "token_invalid")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    if row is None:
        raise ApiError(401, "token_invalid")
    if row.revoked_at is not None:
        raise ApiError(401, "token_revoked")
    if row.expires_at <= (now or utcnow()):
        raise ApiError(401, "token_expired", date=row.expires_at.date().isoformat())
    if row.stand_id is not None and db.session.scalar(
            select(Registration.status).where(Registration.id == row.stand_id)) != RegistrationStatus.CONFIRMED:
        raise ApiError(401, "stand_closed")  # a startup cancelled (or not yet confirmed) reads no contacts
    return Caller(token_id=row.id, event_id=row.event_id, stand_id=row.stand_id, scopes=frozenset(row.scopes or ()),
                  name=row.name, created_by_id=row.created_by_id)


def throttle(caller: Caller, *, now: datetime | None = None) -> None:
    """Count one request of the token in the current minute and note its last use (app.core.ratelimit);
    ApiError 429 past the limit."""
    now = now or utcnow()
    limit = current_app.config["API_REQUESTS_PER_MINUTE"]
    if count_request(ApiToken, caller.token_id, now=now, last_used_at=now) > limit:
        raise ApiError(429, "rate_limited", limit=limit, retry_after=seconds_to_next_minute(now))
