"""Creating and revoking API tokens. A token is shown once, when it is made; only its hash is stored (S1)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from app.api.models import ApiToken, IdempotentAnswer, new_api_token, token_hash
from app.api.scopes import ORGANISER_SCOPES, STAND_SCOPES
from app.audit import services as audit
from app.core.domain import DomainError
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration

MAX_NAME = 80
#: The key under which a form's one-time id is kept (beside the API's idempotency keys, a prefix no API key has
#: for the same token: the form's token is new).
FORM_KEY = "form:"


class TokenError(DomainError):
    """A refused token: no name, no scope, a scope the token cannot hold, an expiry out of range."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    #: The secret itself, to show once.
    secret: str


def _expiry(expires_on: date | None, today: date) -> datetime:
    config = current_app.config
    expires_on = expires_on or today + timedelta(days=config["API_TOKEN_DEFAULT_DAYS"])
    if expires_on <= today:
        raise TokenError("expiry_past", "expires_on")
    if expires_on > today + timedelta(days=config["API_TOKEN_MAX_DAYS"]):
        raise TokenError("expiry_too_far", "expires_on", days=config["API_TOKEN_MAX_DAYS"])
    return datetime.combine(expires_on, time(23, 59, 59))


def _checked(name: str, scopes: list[str], allowed: tuple[str, ...]) -> tuple[str, list[str]]:
    name = " ".join((name or "").split())
    if not name:
        raise TokenError("name_required", "name")
    if len(name) > MAX_NAME:
        raise TokenError("name_too_long", "name", max=MAX_NAME)
    if not scopes:
        raise TokenError("scopes_required", "scopes")
    unknown = [s for s in scopes if s not in allowed]
    if unknown:
        raise TokenError("scope_not_allowed", "scopes", scope=unknown[0])
    return name, [s for s in allowed if s in scopes]


def _made_by_form(event: Event, form_id: str) -> ApiToken | None:
    """The token a page's form (its one-time id) already made in this edition, if it did."""
    return db.session.scalar(select(ApiToken).join(IdempotentAnswer, IdempotentAnswer.token_id == ApiToken.id)
                             .where(IdempotentAnswer.key == FORM_KEY + form_id, ApiToken.event_id == event.id))


@atomic()
def create_token(event: Event, *, name: str, scopes: list[str], expires_on: date | None, actor_id: int | None,
                 stand: Registration | None = None, form_id: str | None = None) -> NewToken:
    """A token for `event` (an organiser's), or for `stand`'s own contacts (a startup's: `leads:read` only).

    `form_id` is the one-time id of the page's form: the same form sent again (a reload of the answer page) makes
    no second token (TokenError already_made, naming the first)."""
    if form_id:
        made = _made_by_form(event, form_id)
        if made is not None:
            raise TokenError("already_made", "name", name=made.name)
    allowed = STAND_SCOPES if stand is not None else ORGANISER_SCOPES
    name, scopes = _checked(name, scopes, allowed)
    expires_at = _expiry(expires_on, utcnow().date())
    secret = new_api_token()
    token = ApiToken(event_id=event.id, stand_id=stand.id if stand is not None else None, name=name, scopes=scopes,
                     token_hash=token_hash(secret), hint=secret[:7], created_by_id=actor_id, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    if form_id:  # kept as long as the API's stored answers (API_IDEMPOTENCY_HOURS)
        db.session.add(IdempotentAnswer(token_id=token.id, key=FORM_KEY + form_id, fingerprint="", status_code=201,
                                        body="{}"))
    audit.record("api.token_create", actor_id=actor_id, event_id=event.id, obj=token,
                 details={"name": name, "scopes": scopes, "stand_id": token.stand_id,
                          "expires_at": expires_at.isoformat()})
    return NewToken(token=token, secret=secret)


@atomic()
def revoke_token(token: ApiToken, *, actor_id: int | None) -> None:
    """The token stops working at its next request."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api.token_revoke", actor_id=actor_id, event_id=token.event_id, obj=token,
                     details={"name": token.name})


def tokens_of(event: Event, *, stand: Registration | None = None) -> list[ApiToken]:
    """An edition's organiser tokens (or one stand's), live ones first, newest first."""
    query = select(ApiToken).where(ApiToken.event_id == event.id)
    query = query.where(ApiToken.stand_id == stand.id) if stand is not None else query.where(ApiToken.stand_id.is_(None))
    return list(db.session.scalars(query.order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                                                  ApiToken.id.desc())))


def startup_tokens_of(event: Event) -> list[ApiToken]:
    """The tokens the edition's startups made for their own contacts (an organiser sees and revokes them)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.event_id == event.id, ApiToken.stand_id.is_not(None))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def token_of(event: Event, token_id: int, *, stand: Registration | None = None) -> ApiToken | None:
    """One of the edition's tokens (an organiser's page: any of them; a startup's page: its own stand's only);
    another's is as good as unknown (S8)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.event_id != event.id:
        return None
    if stand is not None and token.stand_id != stand.id:
        return None
    return token
