"""Accounts: password checks with throttling, reset tokens, ending sessions.

`set_password`, `end_sessions`, `grant_role` and `revoke_role` are steps of a caller's unit of work;
the other public functions that change something are use cases and commit (`atomic`).
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from functools import cache
from hashlib import sha256

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import services as audit
from app.auth.models import EventRole, LoginFailure, RoleName
from app.core.timefmt import utcnow
from app.core.domain import DomainError
from app.core.transaction import atomic
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import send_mail
from app.people.models import Person, new_session_token

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


class AuthError(DomainError):
    """A refusal with a machine-readable code (throttled, invalid, weak_password...)."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _hash_method(config=None) -> str:
    return (config or current_app.config).get("PASSWORD_HASH_METHOD", "scrypt")


@cache
def _dummy_hash(method: str) -> str:
    """A hash of a random password that nobody knows, made like real ones (same algorithm and cost)."""
    return generate_password_hash(secrets.token_urlsafe(32), method=method)


def prepare_dummy_hash(app) -> None:
    """Make the dummy hash at start-up, so that the first refusal for an unknown address costs no more."""
    _dummy_hash(_hash_method(app.config))


def _password_matches(person: Person | None, password: str) -> bool:
    """Whether `password` is the person's. The hasher runs exactly once whatever the case, so that the time
    of a refusal does not tell whether an account exists, has a password or is disabled: without a stored
    hash the password is checked against a dummy hash of the same cost, and never matches."""
    stored = person.password_hash if person is not None else None
    matches = check_password_hash(stored or _dummy_hash(_hash_method()), password or "")
    return bool(stored) and matches


def set_password(person: Person, password: str) -> None:
    """Set a new password; every other session of the person ends (S7). A step: the caller commits."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError("weak_password", min=MIN_PASSWORD_LENGTH)
    person.password_hash = generate_password_hash(password, method=_hash_method())
    end_sessions(person)


def end_sessions(person: Person) -> None:
    """Invalidate every login session and remember-me cookie of `person`. A step: the caller commits."""
    person.session_token = new_session_token()


@atomic()
def log_out(person: Person) -> None:
    """Log out: every session of `person` ends, on every device (S7)."""
    end_sessions(person)


@atomic()
def choose_password(person: Person, password: str) -> None:
    """A new password chosen through a reset link; every session ends."""
    set_password(person, password)


@atomic()
def change_password(person: Person, current: str, password: str) -> None:
    """Replace the password, given the current one (AuthError 'wrong_password' on `current`); other sessions end."""
    if not _password_matches(person, current):
        raise AuthError("wrong_password", "current")
    set_password(person, password)


@atomic()
def set_locale(person: Person, locale: str) -> None:
    """The language the person reads the site and their mail in."""
    person.locale = locale


def authenticate(email: str, password: str, address: str) -> Person:
    """The person with these credentials, or AuthError('throttled' | 'invalid' | 'disabled').

    A failed attempt is stored although the login is refused: throttling counts it (S6). A wrong password, an
    unknown address, an account without a password and a disabled one cost the same work (one password
    check and one stored failure), so neither the answer nor its time tells who has an account; only the
    right password of a disabled account learns that it is disabled.
    """
    email = normalise_email(email)
    config = current_app.config
    with atomic():
        since = utcnow() - timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
        per_account = db.session.scalar(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.email == email, LoginFailure.at >= since)
        )
        per_address = db.session.scalar(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.address == address,
                                                                 LoginFailure.at >= since)
        )
        if per_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] or \
                per_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
            raise AuthError("throttled", minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
        person = db.session.scalar(select(Person).where(Person.email == email))
        is_valid = _password_matches(person, password)
        if not is_valid:
            db.session.add(LoginFailure(email=email, address=address))
        elif person.is_enabled:
            db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
            person.last_login_at = utcnow()
    if not is_valid:
        raise AuthError("invalid")
    if not person.is_enabled:
        raise AuthError("disabled")
    return person


@atomic()
def send_reset_link(email: str) -> None:
    """Mail a link to choose a password to the enabled account of `email`; nothing when there is none.

    Run by the worker (app.auth.tasks), never in the request that asks for it: the request's time must not
    depend on whether there is an account to write to."""
    person = db.session.scalar(select(Person).where(Person.email == normalise_email(email)))
    if person is None or not person.is_enabled:
        return
    sent = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == person.email, OutboxMessage.kind == "password_reset",
        OutboxMessage.created_at >= utcnow() - timedelta(hours=1)))
    if sent >= current_app.config["PASSWORD_RESET_MAILS_PER_HOUR"]:
        log.info("password reset not sent: %d already sent to account %d in the last hour", sent, person.id)
        return
    send_mail(person.email, template="password_reset", locale=person.locale, kind="password_reset",
              person=person, token=make_reset_token(person))


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(person: Person) -> str:
    # A token stops working once the password it was issued against has changed.
    return sha256((person.password_hash or "none").encode()).hexdigest()[:16]


def make_reset_token(person: Person) -> str:
    return _reset_serializer().dumps({"id": person.id, "fp": _password_fingerprint(person)})


def person_from_reset_token(token: str) -> Person:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as exc:
        raise AuthError("expired") from exc
    except BadSignature as exc:
        raise AuthError("invalid_token") from exc
    person = db.session.get(Person, data.get("id")) if isinstance(data, dict) else None
    if person is None or data.get("fp") != _password_fingerprint(person) or not person.is_enabled:
        raise AuthError("invalid_token")
    return person


def grant_role(person: Person, event_id: int, role: RoleName, *, actor_id: int | None,
               organisation_id: int | None = None) -> EventRole:
    """A step: the caller's unit of work stores the role (and its audit row)."""
    existing = db.session.scalar(
        select(EventRole).where(EventRole.person_id == person.id, EventRole.event_id == event_id, EventRole.role == role)
    )
    if existing:
        return existing
    granted = EventRole(person_id=person.id, event_id=event_id, role=role, organisation_id=organisation_id)
    db.session.add(granted)
    audit.record("role.grant", actor_id=actor_id, event_id=event_id, obj=person, details={"role": role.value})
    return granted


def revoke_role(person: Person, event_id: int, role: RoleName, *, actor_id: int | None) -> bool:
    granted = db.session.scalar(
        select(EventRole).where(EventRole.person_id == person.id, EventRole.event_id == event_id, EventRole.role == role)
    )
    if granted is None:
        return False
    db.session.delete(granted)
    audit.record("role.revoke", actor_id=actor_id, event_id=event_id, obj=person, details={"role": role.value})
    return True


def organisers_of(event_id: int) -> list[Person]:
    return holders_of(event_id, RoleName.ORGANISER)


def holders_of(event_id: int, role: RoleName) -> list[Person]:
    """The people who hold `role` in the edition, by name."""
    return list(db.session.scalars(
        select(Person).join(EventRole, EventRole.person_id == Person.id)
        .where(EventRole.event_id == event_id, EventRole.role == role)
        .order_by(Person.last_name, Person.first_name)
    ))
