"""Devices of a stand: pairing with a short code, bearer-token authentication, revocation, rate limit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.audit import services as audit
from app.core.ratelimit import count_request, seconds_to_next_minute
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.extensions import db
from app.leads.errors import LeadError
from app.leads.models import (DEVICE_TOKEN_PREFIX, PAIRING_ALPHABET, PAIRING_CODE_LENGTH, Device, PairingCode,
                              new_device_token, new_pairing_code, secret_hash)
from app.registrations.models import Registration, RegistrationStatus

PAIRING_MINUTES = 10
MAX_DEVICE_NAME = 80


@dataclass(frozen=True)
class DeviceRef:
    """An authenticated device as the scanning views need it: plain ids that outlive any commit."""

    id: int
    event_id: int
    stand_id: int


@dataclass(frozen=True)
class Pairing:
    """A pairing code as shown once to the team member (only its hash is stored)."""

    code: str
    expires_at: datetime

    @property
    def display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


@atomic()
def start_pairing(stand: Registration, device_name: str, *, actor_id: int) -> Pairing:
    """A fresh pairing code for `stand`, valid a few minutes, once."""
    name = " ".join((device_name or "").split())[:MAX_DEVICE_NAME]
    if not name:
        raise LeadError("device_name_required", "name")
    code = new_pairing_code()
    expires_at = utcnow() + timedelta(minutes=PAIRING_MINUTES)
    db.session.add(PairingCode(stand_id=stand.id, code_hash=secret_hash(code), device_name=name,
                               created_by_id=actor_id, expires_at=expires_at))
    audit.record("lead.pairing_code", actor_id=actor_id, event_id=stand.event_id, obj=stand)
    return Pairing(code=code, expires_at=expires_at)


def normalise_pairing_code(typed: str) -> str:
    """What a person typed (any case, spaces or dashes) as a stored code's characters."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


@atomic()
def pair(typed_code: str) -> tuple[Device, str]:
    """Exchange a pairing code for a new device and its bearer token (returned once, stored hashed)."""
    code = normalise_pairing_code(typed_code)
    if not code:
        raise LeadError("pairing_code_required", "code")
    if len(code) != PAIRING_CODE_LENGTH or any(ch not in PAIRING_ALPHABET for ch in code):
        raise LeadError("pairing_code_invalid", "code")
    pairing = db.session.scalar(select(PairingCode).where(PairingCode.code_hash == secret_hash(code))
                                .with_for_update())
    now = utcnow()
    if pairing is None or pairing.used_at is not None:
        raise LeadError("pairing_code_invalid", "code")
    if pairing.expires_at < now:
        raise LeadError("pairing_code_expired", "code", minutes=PAIRING_MINUTES)
    stand = db.session.get(Registration, pairing.stand_id)
    if stand is None or stand.status != RegistrationStatus.CONFIRMED:
        raise LeadError("stand_closed", "code")
    token = new_device_token()
    device = Device(event_id=stand.event_id, stand_id=stand.id, name=pairing.device_name,
                    token_hash=secret_hash(token), paired_by_id=pairing.created_by_id, paired_at=now)
    db.session.add(device)
    pairing.used_at = now
    db.session.flush()
    audit.record("lead.device_pair", actor_id=pairing.created_by_id, event_id=stand.event_id, obj=device,
                 details={"stand_id": stand.id})
    return device, token


def bearer_token(authorization: str | None) -> str:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def authenticate(authorization: str | None) -> DeviceRef:
    """The live device behind an `Authorization: Bearer d_...` header, or LeadError (401)."""
    token = bearer_token(authorization)
    if not token:
        raise LeadError("device_token_missing")
    if not token.startswith(DEVICE_TOKEN_PREFIX) or len(token) > 100:
        raise LeadError("device_token_invalid")
    row = db.session.execute(
        select(Device.id, Device.event_id, Device.stand_id, Device.revoked_at, Registration.status)
        .join(Registration, Device.stand_id == Registration.id).where(Device.token_hash == secret_hash(token))
    ).first()
    if row is None:
        raise LeadError("device_token_invalid")
    if row.revoked_at is not None:
        raise LeadError("device_revoked")
    if row.status != RegistrationStatus.CONFIRMED:
        raise LeadError("stand_closed")
    return DeviceRef(id=row.id, event_id=row.event_id, stand_id=row.stand_id)


def throttle(device: DeviceRef, *, now: datetime | None = None) -> None:
    """Count one request of `device` in the current minute (app.core.ratelimit); LeadError('rate_limited') past
    the limit (S6)."""
    now = now or utcnow()
    limit = current_app.config["LEADS_DEVICE_REQUESTS_PER_MINUTE"]
    if count_request(Device, device.id, now=now, last_seen_at=now) > limit:
        raise LeadError("rate_limited", limit=limit, retry_after=seconds_to_next_minute(now))


def devices_of(stand: Registration) -> list[Device]:
    return list(db.session.scalars(select(Device).where(Device.stand_id == stand.id)
                                   .order_by(Device.revoked_at.is_not(None), Device.paired_at.desc())))


def device_of(stand: Registration, device_id: int) -> Device | None:
    """A device of this stand only: another stand's device is as good as unknown (S8)."""
    return db.session.scalar(select(Device).where(Device.id == device_id, Device.stand_id == stand.id))


@atomic()
def revoke(device: Device, *, actor_id: int) -> None:
    """The device's token stops working at its next request."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        audit.record("lead.device_revoke", actor_id=actor_id, event_id=device.event_id, obj=device,
                     details={"stand_id": device.stand_id})
