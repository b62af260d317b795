"""How people read a refused token and a token's state."""
from __future__ import annotations

from flask_babel import format_date

from app.api.models import ApiToken
from app.api.tokens.services import TokenError
from app.core.sentences import gettext as _
from app.core.timefmt import utcnow


def message(error: TokenError) -> str:
    """The refusal in the reader's language, naming what is wrong."""
    p = error.params
    texts = {
        "name_required": lambda: _("Give the token a name: the tool that will use it, for example \"CRM of the city\"."),
        "name_too_long": lambda: _("The name is too long: at most %(max)d characters.", max=p.get("max", 80)),
        "scopes_required": lambda: _("Tick at least one thing the token may do."),
        "scope_not_allowed": lambda: _("This token cannot hold the scope %(scope)s.", scope=p.get("scope", "")),
        "expiry_past": lambda: _("The expiry date must be after today."),
        "already_made": lambda: _("This form was already sent: it made the token %(name)s, whose secret was shown "
                                  "once. If it was not copied, revoke that token and make a new one.",
                                  name=p.get("name", "")),
        "expiry_too_far": lambda: _("The expiry date must be within %(days)d days from today: make a new token "
                                    "then.", days=p.get("days", 730)),
    }
    text = texts.get(error.code)
    return text() if text else error.code


def status_of(token: ApiToken) -> tuple[str, str]:
    """(live | expired | revoked, the words people read)."""
    if token.revoked_at is not None:
        return "revoked", _("Revoked")
    if token.expires_at <= utcnow():
        return "expired", _("Expired on %(date)s", date=format_date(token.expires_at.date(), "medium"))
    return "live", _("Live")
