"""Stands, badges and paired devices for the lead-scanning tests."""
from __future__ import annotations

from datetime import timezone

import pytest

from app.badging import services as badging
from app.events.models import CategoryCode
from app.extensions import db
from app.leads import devices
from app.registrations.services import approve
from app.auth.services import set_password
from app.core.timefmt import utcnow
from tests.conftest import TEST_PASSWORD

API = "/api/leads/v1"


def now_iso() -> str:
    return utcnow().replace(tzinfo=timezone.utc).isoformat()


@pytest.fixture
def make_stand(make_registration, event):
    """A confirmed startup (its lead registration), optionally with team members."""
    def make(name: str = "Capteurs du Morvan", target=None, **fields):
        stand = make_registration(target or event, CategoryCode.STARTUP, organisation_name=name, **fields)
        team = _team(stand)
        approve(target or event, [stand.id, *(m.id for m in team)], actor_id=None)
        for member in (stand, *team):  # the team logs in
            set_password(member.person, TEST_PASSWORD)
        db.session.commit()
        return stand
    return make


def _team(stand):
    from sqlalchemy import select

    from app.registrations.models import Registration
    return db.session.scalars(select(Registration).where(Registration.team_lead_id == stand.id)).all()


@pytest.fixture
def make_badge(make_registration, event):
    """A confirmed visitor's live badge token: (registration, code)."""
    def make(target=None, **fields):
        fields.setdefault("consent_share_contact", True)
        registration = make_registration(target or event, fields.pop("category", CategoryCode.VISITEUR), **fields)
        if registration.status.value != "confirmed":
            approve(target or event, [registration.id], actor_id=None)
        token = badging.current_token(registration).token
        db.session.commit()
        return registration, token
    return make


@pytest.fixture
def make_device(db):
    """A device paired to a stand: (device, bearer token)."""
    def make(stand, name: str = "Téléphone de Camille"):
        pairing = devices.start_pairing(stand, name, actor_id=None)
        device, token = devices.pair(pairing.code)
        db.session.commit()
        return device, token
    return make


def scan(code: str, client_id: str, **fields) -> dict:
    return {"client_id": client_id, "code": code, "scanned_at": fields.pop("scanned_at", now_iso()), **fields}


def upload(client, token: str, scans: list, headers: dict | None = None):
    return client.post(f"{API}/scans", json={"scans": scans},
                       headers={"Authorization": f"Bearer {token}", **(headers or {})})
