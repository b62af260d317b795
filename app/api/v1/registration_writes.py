"""Registrations written by another tool (scope registrations:write): created, changed and moved through their
statuses by the same services and checks as the public form and the back office, refused in the same words."""
from __future__ import annotations

from app.api.contract.framework import ApiBlueprint, Call, Refusal
from app.api.schemas.registration_writes import RegistrationIn, RegistrationPatch, StatusChange
from app.api.schemas.registrations import RegistrationOut
from app.api.v1.registrations import out, registration_of
from app.core.sentences import gettext as _
from app.events.models import CategoryCode
from app.extensions import db
from app.registrations import services
from app.registrations.forms import ORGANISATION_LABEL
from app.registrations.models import Registration, RegistrationStatus
from app.registrations.routes import error_message

api = ApiBlueprint("api_registration_writes", __name__)

TAG = "Registrations"
SCOPE = "registrations:write"


def refused(error: services.RegistrationError) -> Refusal:
    """A service's refusal in the words of the form, naming the body's field at fault."""
    return Refusal(422, error.code, error_message(error), error.field)


def _input(body: RegistrationIn) -> services.RegistrationInput:
    if body.category in ORGANISATION_LABEL and not body.organisation_name:
        raise Refusal(422, "organisation_required", _("%(label)s: this field is required.",
                                                      label=ORGANISATION_LABEL[body.category]), "organisation_name")
    if body.team and body.category != CategoryCode.STARTUP:
        raise Refusal(422, "team_not_allowed", _("Only a startup registers a team."), "team")
    is_elu = body.category == CategoryCode.ELU
    return services.RegistrationInput(
        category=body.category, email=str(body.email), first_name=body.first_name, last_name=body.last_name,
        phone=body.phone, country=body.country, locale=body.locale, organisation_name=body.organisation_name,
        job_title=body.job_title, mandate=body.mandate if is_elu else None,
        mandate_title=body.mandate_title if is_elu else "", territory=body.territory,
        population=body.population if is_elu else None, pitch=body.pitch, pitch_en=body.pitch_en,
        website=body.website, theme_codes=list(body.themes), days=list(body.days),
        consent_directory=body.consents.directory, consent_share_contact=body.consents.share_contact,
        team=[services.TeamMember(m.first_name, m.last_name, str(m.email)) for m in body.team])


def _fresh(call: Call, registration: Registration) -> RegistrationOut:
    """The registration as stored once this request's changes are written (its `updated_at` included)."""
    db.session.flush()
    db.session.refresh(registration)
    return out(call, registration)


@api.operation("POST", "/events/{slug}/registrations", summary="Register a person", tag=TAG, scope=SCOPE,
               body=RegistrationIn, response=RegistrationOut, status=201, errors=(422,), example={
                   "category": "elu", "email": "claire.morel@example.org", "first_name": "Claire",
                   "last_name": "Morel", "organisation_name": "Ville de Nevers", "job_title": "Maire",
                   "mandate": "maire", "mandate_title": "Mairesse", "territory": "Nevers", "country": "FR",
                   "locale": "fr", "days": ["2027-06-02"], "themes": [],
                   "consents": {"directory": True, "share_contact": False}})
def create_registration(call: Call):
    """The same registration as the public form makes, with its e-mail to the person; the token's creator is
    recorded as its author. As an organiser's import, it is accepted while the public form is closed, but not in
    a category closed to registration (`category_closed`). A person already registered (not cancelled) is
    refused (`duplicate`)."""
    try:
        registration = services.register(call.event, _input(call.body), source="api",
                                         actor_id=call.caller.created_by_id)
    except services.RegistrationError as error:
        raise refused(error) from error
    return _fresh(call, registration)


@api.operation("PATCH", "/events/{slug}/registrations/{registration_id}", summary="Change a registration",
               tag=TAG, scope=SCOPE, body=RegistrationPatch, response=RegistrationOut, errors=(422,),
               example={"job_title": "Directrice générale des services", "days": ["2027-06-02", "2027-06-03"]})
def update_registration(call: Call, registration_id: int):
    registration = registration_of(call, registration_id)
    given = call.body.model_fields_set
    body = call.body
    current = registration.category.code
    try:
        services.update_registration(
            call.event, registration,
            category_code=(body.category if "category" in given else current).value,
            job_title=body.job_title if "job_title" in given else registration.job_title,
            territory=body.territory if "territory" in given else registration.territory,
            days=[d.isoformat() for d in body.days] if "days" in given else list(registration.days or []),
            theme_codes=list(body.themes) if "themes" in given else [t.code for t in registration.themes],
            mandate_title=body.mandate_title if "mandate_title" in given else None,
            actor_id=call.caller.created_by_id)
    except services.RegistrationError as error:
        raise refused(error) from error
    return _fresh(call, registration)


@api.operation("POST", "/events/{slug}/registrations/{registration_id}/status", summary="Confirm or cancel",
               tag=TAG, scope=SCOPE, body=StatusChange, response=RegistrationOut, errors=(422,),
               example={"status": "confirmed"})
def change_status(call: Call, registration_id: int):
    """`confirmed` confirms a registration pending approval or on the waiting list (the person is told by
    e-mail); `cancelled` cancels it and gives its place to the waiting list. A cancelled registration cannot be
    confirmed again: register the person anew (`impossible_status_change`)."""
    registration = registration_of(call, registration_id)
    wanted = RegistrationStatus(call.body.status)
    if registration.status != wanted:
        if wanted == RegistrationStatus.CONFIRMED:
            if registration.status == RegistrationStatus.CANCELLED:
                raise Refusal(422, "impossible_status_change",
                              _("A cancelled registration cannot be confirmed: register the person again."),
                              "status")
            services.approve(call.event, [registration.id], actor_id=call.caller.created_by_id)
        else:
            services.cancel(call.event, [registration.id], actor_id=call.caller.created_by_id,
                            reason=call.body.reason)
    return _fresh(call, registration)
