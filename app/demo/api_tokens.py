"""The demo summit's API tokens: the city's CRM (read registrations, used this morning), the venue's door system
(check people in, never used yet), and one startup's token for its own contacts. Only the CRM's secret is kept,
for the README's curl session; the others are gone once made, as in real life."""
from __future__ import annotations

from datetime import timedelta

from app.api.tokens import services as tokens
from app.core.timefmt import utcnow
from app.events.models import Event
from app.registrations.queries import confirmed_startups

CRM_NAME = "CRM de la Ville de Nevers"
DOOR_NAME = "Contrôle d'accès de la Maison de la Culture"


def load_api_tokens(event: Event, *, organiser_id: int) -> str:
    """Make the demo's tokens (each commits; the CRM's last use is left for the caller to commit) and return
    the CRM's secret."""
    crm = tokens.create_token(event, name=CRM_NAME, scopes=["registrations:read"], expires_on=None,
                              actor_id=organiser_id)
    # Made a few weeks ago, when the CRM was connected; it synced this morning.
    crm.token.created_at = utcnow() - timedelta(days=23, hours=5)
    crm.token.last_used_at = utcnow() - timedelta(hours=2, minutes=17)
    tokens.create_token(event, name=DOOR_NAME, scopes=["checkins:write"], expires_on=None, actor_id=organiser_id)
    startups = confirmed_startups(event)
    if startups:
        stand = startups[0]
        tokens.create_token(event, name=f"CRM de {stand.startup_name}", scopes=["leads:read"], expires_on=None,
                            actor_id=stand.person_id, stand=stand)
    return crm.secret
