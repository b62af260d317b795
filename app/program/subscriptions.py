"""An attendee's calendar subscription link: issued on first need, renewed on request (S1).

The tokens themselves are kept by `feeds`; these are the use cases that store them, one commit each.
"""
from __future__ import annotations

from app.core.transaction import atomic
from app.program import feeds
from app.program.models import FeedToken
from app.registrations.models import Registration


@atomic()
def issue_feed_token(registration: Registration) -> FeedToken:
    """The live token of the attendee's calendar link, issued the first time they need one."""
    return feeds.current_token(registration)


@atomic()
def renew_feed_token(registration: Registration, *, actor_id: int) -> FeedToken:
    """Revoke the attendee's calendar link and issue a new one."""
    return feeds.renew_token(registration, actor_id=actor_id)
