from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FieldList, FormField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField, TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import InRange
from app.core.timefmt import format_day
from app.events.models import Event
from app.program.labels import KIND_NAMES, ROLE_NAMES
from app.program.speakers import speaker_label


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoomForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Capacity (seats)"), validators=[Optional(), InRange(1, 20_000)])
    floor = StringField(_l("Floor"), validators=[Optional(), Length(max=60)])
    is_accessible = BooleanField(_l("Accessible to wheelchairs"), default=True)
    availability = TextAreaField(_l("Available"), validators=[Optional(), Length(max=2000)])


class SpeakerField(SelectField):
    """A registered person, or none (the form's empty rows); anything else is refused, not dropped."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        super().pre_validate(form)


class SpeakerRowForm(FlaskForm):
    class Meta:
        csrf = False

    find = StringField(_l("Find a speaker"), validators=[Optional(), Length(max=100)])
    registration = SpeakerField(_l("Speaker"), choices=[],
                               invalid_choice_message=_l("Choose a speaker from the list (a registered person)."))
    role = SelectField(_l("Role"), choices=lambda: [SelectChoice(r.value, n) for r, n in ROLE_NAMES.items()],
                       default="intervenant")


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=lambda: [SelectChoice(k.value, n) for k, n in KIND_NAMES.items()])
    title_fr = StringField(_l("Title in French"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    description_fr = TextAreaField(_l("Description in French"), validators=[Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=5000)])
    day = SelectField(_l("Day"), choices=[])
    start = TimeField(_l("Starts"), validators=[DataRequired()])
    end = TimeField(_l("Ends"), validators=[DataRequired()])
    room = SelectField(_l("Room"), choices=[])
    seat_limit = IntegerField(_l("Seat limit"), validators=[Optional(), InRange(1, 20_000)])
    themes = MultiCheckboxField(_l("Themes"), choices=[])
    speakers = FieldList(FormField(SpeakerRowForm), _l("Speakers"), min_entries=4, max_entries=8)


def session_form(event: Event, rooms, locale: str, **kwargs) -> SessionForm:
    form = SessionForm(**kwargs)
    form.day.choices = [SelectChoice(d.isoformat(), format_day(d)) for d in event.days]
    form.room.choices = [SelectChoice("", "—")] + [SelectChoice(str(r.id), r.name) for r in rooms]
    form.themes.choices = [SelectChoice(t.code, t.name(locale)) for t in event.themes]
    return form


def offer_speakers(form: SessionForm, chosen, found: dict[int, list]) -> None:
    """Each speaker list offers the people the form names (`chosen`, registrations of the edition) and, for
    row i, the matches of its search (`found[i]`): an id that is neither is refused by the list."""
    for index, entry in enumerate(form.speakers.entries):
        people = {r.id: r for r in chosen}
        people.update({r.id: r for r in found.get(index, [])})
        entry.form.registration.choices = [SelectChoice("", "—")] + [
            SelectChoice(str(r.id), speaker_label(r)) for r in people.values()]
