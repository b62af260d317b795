"""What the three sides' outcome pages share: the form read and handed to the service, its refusals shown
next to their fields, the labels of the lists."""
from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_babel import lazy_gettext as _l

from app.core.timefmt import utcnow
from app.outcomes.errors import message, status_of
from app.outcomes.forms import KIND_LABELS, STATUS_LABELS, OutcomeForm
from app.outcomes.models import Outcome, OutcomeSide, OutcomeSource
from app.outcomes.services import OutcomeError, OutcomeInput

SOURCE_LABELS = {OutcomeSource.VISIT: _l("Planned visit"), OutcomeSource.SCAN: _l("Contact scanned at the stand"),
                 OutcomeSource.MEETING: _l("Meeting on request, held"), OutcomeSource.MANUAL: _l("Added by hand")}
SIDE_LABELS = {OutcomeSide.STARTUP: _l("The startup"), OutcomeSide.CITY: _l("The city"),
               OutcomeSide.ORGANISER: _l("The organisers")}
LABELS = {"kinds": KIND_LABELS, "statuses": STATUS_LABELS, "sources": SOURCE_LABELS, "sides": SIDE_LABELS}


def form_for(outcome: Outcome | None = None) -> OutcomeForm:
    """The form as sent (POST), else filled with the outcome, or a new one dated today."""
    if request.method == "POST":
        return OutcomeForm()
    if outcome is not None:
        return OutcomeForm.of(outcome)
    return OutcomeForm(data={"status_on": utcnow().date()})


def show_refusal(form: OutcomeForm, error: OutcomeError) -> int:
    """The refusal's message next to its field (or atop the form when it names no field of it); its status."""
    field = form._fields.get(error.field or "")
    if field is not None and field.name != "csrf_token":
        field.errors = [*field.errors, message(error)]
    else:
        form.form_errors.append(message(error))
    return status_of(error)


def submit(form: OutcomeForm, save: Callable[[OutcomeInput], object]) -> int | None:
    """Validate and hand the outcome to `save` (a service call): None once saved, else the page's status."""
    if request.method != "POST":
        return 200
    if not form.validate_on_submit():
        return 422
    try:
        save(form.to_input())
    except OutcomeError as error:
        return show_refusal(form, error)
    return None
