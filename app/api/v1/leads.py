"""A startup's own contacts (its token's stand only), with only what each person agreed to share."""
from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from app.api.contract.errors import ApiError
from app.api.contract.framework import ApiBlueprint, Call
from app.api.contract.pagination import PageQuery, page_model, page_of
from app.api.schemas.leads import LeadOut
from app.extensions import db
from app.leads.models import Lead
from app.leads.services import lead_of
from app.registrations.models import Registration

api = ApiBlueprint("api_leads", __name__)

LeadPage = page_model(LeadOut)

#: A contact changes when the stand edits it or when the person changes her consent: a sync since then reads it
#: again, and so learns that an e-mail address it holds is no longer to be kept.
CHANGED = case((Registration.consent_updated_at > Lead.updated_at, Registration.consent_updated_at),
               else_=Lead.updated_at).label("changed")


def _stand(call: Call) -> Registration:
    """The startup's registration the token reads the contacts of (an organiser's token has none)."""
    stand = db.session.get(Registration, call.caller.stand_id) if call.caller.stand_id is not None else None
    if stand is None or stand.event_id != call.event.id:
        raise ApiError(403, "missing_scope", scope="leads:read")
    return stand


def _with_person(query):
    return query.options(joinedload(Lead.registration).joinedload(Registration.person),
                         joinedload(Lead.registration).joinedload(Registration.organisation))


@api.operation("GET", "/events/{slug}/leads", summary="The stand's contacts", tag="Leads", scope="leads:read",
               query=PageQuery, response=LeadPage)
def list_leads(call: Call):
    """The contacts of the token's stand, in the order of their last change (the person's consent included)."""
    stand = _stand(call)
    query = _with_person(select(Lead, CHANGED, Lead.id).join(Registration, Lead.registration_id == Registration.id)
                         .where(Lead.event_id == call.event.id, Lead.stand_id == stand.id))
    rows, cursor = page_of(query, changed=CHANGED, row_id=Lead.id, params=call.query, scalars=False)
    return LeadPage(data=[LeadOut.of(row.Lead, row.changed) for row in rows], next_cursor=cursor)


@api.operation("GET", "/events/{slug}/leads/{lead_id}", summary="One contact of the stand", tag="Leads",
               scope="leads:read", response=LeadOut)
def get_lead(call: Call, lead_id: int):
    """Another stand's contact is a 404, as an unknown one."""
    lead = lead_of(_stand(call), lead_id)
    if lead is None:
        raise ApiError(404, "not_found")
    consent = lead.registration.consent_updated_at
    return LeadOut.of(lead, max(lead.updated_at, consent) if consent else lead.updated_at)
