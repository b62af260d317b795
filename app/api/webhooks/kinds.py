"""The event types an endpoint can subscribe to, in the order the pages list them."""
from __future__ import annotations

REGISTRATION_CREATED = "registration.created"
REGISTRATION_UPDATED = "registration.updated"
CHECKIN_CREATED = "checkin.created"
LEAD_CREATED = "lead.created"
PLAN_PUBLISHED = "plan.published"
PROGRAM_PUBLISHED = "program.published"

EVENT_TYPES: tuple[str, ...] = (REGISTRATION_CREATED, REGISTRATION_UPDATED, CHECKIN_CREATED, LEAD_CREATED,
                                PLAN_PUBLISHED, PROGRAM_PUBLISHED)
