"""The edition's outbox as organisers read it: every mail sent for the edition, and the account mails of its people.

A mail written for an edition (a confirmation, a changed session, a new route) carries the edition's id. A
mail about an account (a password reset) carries none: it is shown in the outbox of every edition the account
belongs to, that is where the recipient's address is the e-mail of a person registered to it (whatever the
registration's status) or on its team. Never in another edition's: an organiser sees the account mails of her
edition's people only.

A link that opens an account (a reset link, an invitation's link to choose a password) is hidden in what the
organiser reads: it is the recipient's alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.auth.models import EventRole
from app.events.models import Event
from app.extensions import db
from app.mail.models import OutboxMessage
from app.people.models import Person
from app.registrations.models import Registration

PAGE_SIZE = 50
#: What became of a message (OutboxMessage.status), as organisers read it.
MAIL_STATUS_NAMES = {
    "outbox": _l("kept here (no mail server configured)"),
    "queued": _l("waiting to be sent"),
    "sent": _l("sent"),
    "failed": _l("could not be sent"),
}
#: Kinds of mail whose links open the recipient's account (or answer her follow-up survey in her name).
ACCOUNT_LINK_KINDS = frozenset({"password_reset", "organiser_invitation", "outcome_survey"})
_ACCOUNT_LINK = re.compile(r"\S*/(?:password/reset|reset|survey)/\S+")


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    total: int
    page: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def edition_mail(event: Event):
    """The condition that picks the mails an organiser of `event` may read."""
    people = select(Person.email).join(Registration, Registration.person_id == Person.id) \
        .where(Registration.event_id == event.id)
    team = select(Person.email).join(EventRole, EventRole.person_id == Person.id).where(EventRole.event_id == event.id)
    return or_(OutboxMessage.event_id == event.id,
               OutboxMessage.event_id.is_(None) & OutboxMessage.recipient.in_(people.union(team).scalar_subquery()))


def outbox_page(event: Event, q: str, page: int) -> OutboxPage:
    """The edition's mails whose recipient or subject holds `q` (any case), newest first, PAGE_SIZE a page."""
    query = select(OutboxMessage).where(edition_mail(event))
    if q:
        needle = q.lower()
        query = query.where(or_(func.lower(OutboxMessage.recipient).contains(needle, autoescape=True),
                                func.lower(OutboxMessage.subject).contains(needle, autoescape=True)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    messages = db.session.scalars(query.order_by(OutboxMessage.id.desc())
                                  .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return OutboxPage(list(messages), total, page)


def readable_body(message: OutboxMessage, hidden: str) -> str:
    """The body an organiser reads: a link that opens the recipient's account replaced by `hidden`."""
    if message.kind not in ACCOUNT_LINK_KINDS:
        return message.body
    return _ACCOUNT_LINK.sub(hidden, message.body)
