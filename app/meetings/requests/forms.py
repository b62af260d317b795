"""The forms of the meeting pages: the organiser's settings and sessions, a request."""
from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, IntegerField, RadioField, SelectField, SelectMultipleField, TextAreaField,
                     TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import InRange
from app.core.timefmt import format_day
from app.events.labels import CATEGORY_LABELS
from app.events.models import Event
from app.meetings.requests.messages import MODES, REASONS
from app.meetings.requests.services import MAX_MESSAGE
from app.meetings.requests.settings import EXPIRY_DAYS, MAX_PER_SESSION, SLOT_MINUTES
from app.registrations.models import Registration


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _number(label, bounds: tuple[int, int]) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(_l("This field is required.")), InRange(*bounds)])


class SettingsForm(FlaskForm):
    is_open = BooleanField(_l("Requests are open: attendees may send meeting requests"))
    acceptance = RadioField(_l("Acceptance"), choices=[SelectChoice(m.value, label) for m, label in MODES.items()],
                            validators=[InputRequired(_l("Choose one of the two modes."))])
    slot_minutes = _number(_l("Slot length (minutes)"), SLOT_MINUTES)
    max_per_session = _number(_l("Most meetings per person per session"), MAX_PER_SESSION)
    expiry_days = _number(_l("Days before a request expires"), EXPIRY_DAYS)
    tables = TextAreaField(_l("Tables of the meetings area"), validators=[Optional(), Length(max=20_000)])
    #: "from category id:to category id", drawn by hand as a group of boxes per category (the template).
    pairs = SelectMultipleField(_l("Who may request whom"), choices=[], validate_choice=False)


def pair_choices(event: Event) -> list[tuple[str, str]]:
    return [(f"{a.id}:{b.id}", f"{CATEGORY_LABELS[a.code]} → {CATEGORY_LABELS[b.code]}")
            for a in event.categories for b in event.categories]


def parse_pairs(values: list[str]) -> tuple[tuple[int, int], ...] | None:
    """The boxes ticked as category ids; None when one is not a pair of ids."""
    pairs = []
    for value in values:
        frm, _, to = (value or "").partition(":")
        if not (frm.isascii() and frm.isdigit() and to.isascii() and to.isdigit() and len(frm) < 10
                and len(to) < 10):
            return None
        pairs.append((int(frm), int(to)))
    return tuple(pairs)


class SessionForm(FlaskForm):
    day = SelectField(_l("Day"), choices=[], invalid_choice_message=_l("Choose a day of the edition."))
    start = TimeField(_l("From"), validators=[DataRequired(message=_l("Give a time, like 14:00."))],
                      default=time(14, 0))
    end = TimeField(_l("To"), validators=[DataRequired(message=_l("Give a time, like 17:00."))], default=time(17, 0))


def session_form(event: Event, **kwargs) -> SessionForm:
    form = SessionForm(**kwargs)
    form.day.choices = [SelectChoice(d.isoformat(), format_day(d)) for d in event.days]
    return form


class RequestForm(FlaskForm):
    reason = RadioField(_l("Reason"), choices=[SelectChoice(r.value, label) for r, label in REASONS.items()],
                        validators=[InputRequired(_l("Choose the reason for the meeting."))],
                        invalid_choice_message=_l("Choose one of the reasons listed."))
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=MAX_MESSAGE)])
    participants = MultiCheckboxField(_l("Who comes along"), coerce=int, choices=[],
                                      invalid_choice_message=_l("Choose members of your own delegation."),
                                      invalid_value_message=_l("Choose members of your own delegation."))


def request_form(companions: list[Registration], **kwargs) -> RequestForm:
    form = RequestForm(**kwargs)
    form.participants.choices = [SelectChoice(r.id, r.person.full_name) for r in companions]
    return form
