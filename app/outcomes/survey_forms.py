"""The survey's form, built for the meetings of one invitation: per meeting what came of it (kind, status,
date, or nothing yet), per outcome of the other side a box to confirm it."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, StopValidation

from app.outcomes.forms import KIND_LABELS, STATUS_LABELS
from app.outcomes.models import OutcomeKind, OutcomeStatus
from app.outcomes.services import OutcomeInput
from app.outcomes.survey import SurveyMeeting

#: The names of the kinds and statuses: the same words as on the outcome pages.
KIND_NAMES, STATUS_NAMES = KIND_LABELS, STATUS_LABELS
#: The names of a survey's fields: kind_12, status_12, on_12 (12: the meeting's key), confirm_34 (an outcome).
FIELD_NAME = re.compile(r"(kind|status|on|confirm)_(\d{1,18})")


def _required_with_kind(form, field) -> None:
    """The status's date is needed once something came of the meeting."""
    if not form[f"kind_{field.name.split('_')[1]}"].data:
        field.errors[:] = []
        raise StopValidation()
    if field.data is None:
        field.errors[:] = []  # "Not a valid date value", said below in the survey's words
        message = _("Give the date as YYYY-MM-DD.") if field.raw_data and field.raw_data[0].strip() else \
            _("Give the date of this status.")
        raise StopValidation(message)


def survey_form(entries: list[SurveyMeeting], today: date) -> FlaskForm:
    """A form with the fields of these meetings."""

    class SurveyForm(FlaskForm):
        pass

    for entry in entries:
        key = entry.key
        setattr(SurveyForm, f"kind_{key}", SelectField(
            _l("What came of it"), default="",
            choices=lambda: [SelectChoice("", _("No answer"))] +
            [SelectChoice(k.value, str(n)) for k, n in KIND_NAMES.items()]))
        setattr(SurveyForm, f"status_{key}", SelectField(
            _l("Status"), default=OutcomeStatus.PLANNED.value,
            choices=lambda: [SelectChoice(s.value, str(n)) for s, n in STATUS_NAMES.items()]))
        setattr(SurveyForm, f"on_{key}", DateField(_l("Date of this status"), default=today,
                                                   validators=[_required_with_kind]))
        for outcome in entry.to_confirm:
            setattr(SurveyForm, f"confirm_{outcome.id}", BooleanField(_l("Yes, that is right"),
                                                                      validators=[Optional()]))
    return SurveyForm()


def unknown_fields(formdata, form: FlaskForm) -> list[str]:
    """The answer fields sent that the form does not have: a meeting or an outcome not of this survey."""
    return sorted(name for name in formdata if FIELD_NAME.fullmatch(name) and name not in form._fields)


def answers_of(form: FlaskForm, entries: list[SurveyMeeting]) -> tuple[dict[int, OutcomeInput], set[int]]:
    """The outcomes to record (by meeting key) and the outcome ids to confirm, from a valid form."""
    answers = {}
    for entry in entries:
        kind = form[f"kind_{entry.key}"].data
        if kind:
            answers[entry.key] = OutcomeInput(kind=OutcomeKind(kind), status=OutcomeStatus(
                form[f"status_{entry.key}"].data), status_on=form[f"on_{entry.key}"].data)
    confirmations = {o.id for entry in entries for o in entry.to_confirm if form[f"confirm_{o.id}"].data}
    return answers, confirmations
