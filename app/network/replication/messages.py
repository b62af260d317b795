"""The replication room's refusals and labels, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.sentences import gettext as _
from app.network.errors import NetworkError

#: The network's home time zone. A replication's dates are days in it, the same for both sides and every reader:
#: a city has no time zone of its own (its country does not always tell one), and its steps are days apart.
TIME_ZONE = "Europe/Paris"

#: A replication's state (its answer, then its stage) and the steps of its history.
STATES = {
    "pending": _l("Waiting for an answer"),
    "declined": _l("Declined"),
    "cancelled": _l("Withdrawn"),
    "in_touch": _l("In touch"),
    "exchange": _l("Exchange or visit"),
    "adapted_plan": _l("Adapted plan"),
    "deployed": _l("Deployed"),
    "dropped": _l("Dropped"),
}

STEPS = {
    "asked": _l("Asked to replicate"),
    "accepted": _l("The project's city accepted"),
    "declined": _l("The project's city declined"),
    "cancelled": _l("The asking city withdrew its request"),
    "startup_agreed": _l("The startup accepted"),
    "startup_declined": _l("The startup declined"),
    **{k: v for k, v in STATES.items() if k not in ("pending", "declined", "cancelled")},
}

PURPOSES = {"joint_purchase": _l("Joint purchase"), "shared_deployment": _l("Shared deployment")}
CONSORTIUM_STATUSES = {"forming": _l("Forming"), "active": _l("Active"), "done": _l("Done"),
                       "dissolved": _l("Dissolved")}


def message(error: NetworkError) -> str:
    p = error.params
    texts = {
        "unknown_project": lambda: _("This project does not exist or is not shown to you."),
        "unknown_replication": lambda: _("This replication does not exist or is not shown to you."),
        "unknown_consortium": lambda: _("This consortium does not exist."),
        "not_member_contact": lambda: _("Only the contacts of a member city other than the project's may ask to "
                                        "replicate it."),
        "unknown_city": lambda: _("City: choose one of the member cities you are a contact of."),
        "too_long": lambda: _("%(field)s: too long (%(length)d characters; at most %(max)d).",
                              field=FIELDS.get(error.field or "", error.field), length=p.get("length", 0),
                              max=p.get("max", 0)),
        "already_asked": lambda: _("Your city has already asked to replicate this project: see the request in "
                                   "your replications."),
        "bad_decision": lambda: _("Decision: choose to accept or to decline."),
        "cancelled": lambda: _("This request was withdrawn by the asking city: there is nothing to answer."),
        "already_answered": lambda: _("This request has already been answered: the answer stands."),
        "not_project_city": lambda: _("Only the contacts of the project's city answer for it."),
        "not_startup": lambda: _("Only the startup's people answer for it."),
        "not_asking_city": lambda: _("Only the contacts of the asking city do this."),
        "bad_stage": lambda: _("Stage: choose one of the stages listed."),
        "not_accepted": lambda: _("The project's city has not accepted this request: its stages start once it "
                                  "does."),
        "finished": lambda: _("This replication is over (deployed or dropped): its stages no longer change."),
        "same_stage": lambda: _("Stage: the replication is already at this stage; choose another one."),
        "title_required": lambda: _("Title: write the consortium's title."),
        "bad_purpose": lambda: _("Purpose: choose a joint purchase or a shared deployment."),
        "project_draft": lambda: _("Project it starts from: this project is a draft; publish it (to members or "
                                   "to everyone) first, or choose none."),
        "unknown_startup": lambda: _("Startup: choose one of the startups listed."),
        "bad_status": lambda: _("Status: choose one of the statuses listed."),
        "not_lead": lambda: _("Only the contacts of the lead city change the consortium's status."),
        "already_member": lambda: _("Your city is already in this consortium."),
        "not_in_consortium": lambda: _("Your city is not in this consortium."),
        "lead_cannot_leave": lambda: _("The lead city cannot leave its consortium: dissolve it instead."),
        "consortium_closed": lambda: _("This consortium is done or dissolved: cities no longer join or leave it."),
        "unknown_link": lambda: _("This link is not valid: copy the whole link from the e-mail."),
        "unknown_suggestion": lambda: _("This suggestion no longer stands."),
        "suggestion_answered": lambda: _("This suggestion was already confirmed or dismissed."),
    }
    text = texts.get(error.code)
    return text() if text else error.code


FIELDS = {"message": _l("Message"), "reason": _l("Reason"), "note": _l("Note"), "title": _l("Title"),
          "description": _l("Description")}
