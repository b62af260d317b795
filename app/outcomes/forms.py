"""The form of an outcome: what came of a meeting, its status and date, an amount, notes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import INT32_MAX, InRange
from app.outcomes.models import Outcome, OutcomeKind, OutcomeStatus
from app.outcomes.services import CURRENCIES, MAX_NOTES, OutcomeInput

#: The kinds and statuses as people read them (the French is in the catalogue).
KIND_LABELS = {
    OutcomeKind.FOLLOW_UP: _l("Contact followed up"),
    OutcomeKind.DEMO: _l("Demonstration"),
    OutcomeKind.PILOT: _l("Pilot (experiment)"),
    OutcomeKind.TENDER: _l("Call for tenders"),
    OutcomeKind.CONTRACT: _l("Contract"),
    OutcomeKind.PARTNERSHIP: _l("Partnership"),
    OutcomeKind.NONE: _l("Nothing for now"),
}
STATUS_LABELS = {
    OutcomeStatus.PLANNED: _l("Envisaged"),
    OutcomeStatus.IN_PROGRESS: _l("In progress"),
    OutcomeStatus.DONE: _l("Achieved"),
    OutcomeStatus.ABANDONED: _l("Abandoned"),
}


class OutcomeForm(FlaskForm):
    kind = RadioField(_l("What came of the meeting"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
                      validators=[InputRequired(_l("Choose what came of the meeting."))])
    status = RadioField(_l("Status"), choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
                        default=OutcomeStatus.PLANNED.value, validators=[InputRequired(_l("Choose a status."))])
    status_on = DateField(_l("Date of the status"),
                          validators=[DataRequired(_l("Give the date of the status, such as 2027-09-15."))])
    amount = IntegerField(_l("Amount (optional)"), validators=[Optional(), InRange(0, INT32_MAX)])
    currency = SelectField(_l("Currency"), choices=[SelectChoice(c, c) for c in CURRENCIES], default="EUR")
    notes = TextAreaField(_l("Notes (optional)"), validators=[Optional(), Length(max=MAX_NOTES)])

    def to_input(self) -> OutcomeInput:
        return OutcomeInput(kind=OutcomeKind(self.kind.data), status=OutcomeStatus(self.status.data),
                            status_on=self.status_on.data, amount=self.amount.data,
                            currency=self.currency.data, notes=self.notes.data or "")

    @classmethod
    def of(cls, outcome: Outcome) -> OutcomeForm:
        return cls(data={"kind": outcome.kind.value, "status": outcome.status.value, "status_on": outcome.status_on,
                         "amount": outcome.amount, "currency": outcome.currency, "notes": outcome.notes})
