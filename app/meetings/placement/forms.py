"""The forms of the placement pages: place all, move a meeting, lock it, publish."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.core.forms import InRange
from app.events.models import Event
from app.meetings.placement import placing
from app.meetings.placement.views import slot_choices
from app.meetings.requests.models import MeetingTable


class PlaceForm(FlaskForm):
    time_limit = IntegerField(_l("Seconds of search for each step"), default=placing.DEFAULT_TIME_LIMIT,
                              validators=[InputRequired(_l("This field is required.")),
                                          InRange(placing.MIN_TIME_LIMIT, placing.MAX_TIME_LIMIT)])


class MoveForm(FlaskForm):
    slot = SelectField(_l("Slot"), choices=[], invalid_choice_message=_l("Choose one of the slots listed."))
    table = SelectField(_l("Table"), choices=[], coerce=int, invalid_choice_message=_l("Choose one of the tables."))


def move_form(event: Event, tables: list[MeetingTable], **kwargs) -> MoveForm:
    form = MoveForm(**kwargs)
    form.slot.choices = [SelectChoice(value, label) for value, label in slot_choices(event)]
    form.table.choices = [SelectChoice(t.id, t.name) for t in tables]
    return form


class LockForm(FlaskForm):
    locked = HiddenField()


class PublishForm(FlaskForm):
    pass
