"""Forms of the organiser's hall pages, and the words for the hall's refusals."""
from __future__ import annotations

import math
from datetime import time
from functools import lru_cache

from babel import numbers
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FloatField, IntegerField, SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import TextInput

from app.core.forms import InRange
from app.core.images import refusal_text as image_refusal_text
from app.core.sentences import gettext as _
from app.core.timefmt import format_day, format_moment
from app.demonstrator.hall.services import HallError
from app.demonstrator.hall.calendar import DAY_CLOSES, DAY_OPENS
from app.events.models import Event


class DecimalField(FloatField):
    """A number that may be written the French way (12,5) as well as 12.5."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = float(valuelist[0].strip().replace(",", ".").replace("\u202f", "").replace(" ", ""))
                if not math.isfinite(self.data):  # "nan", "inf", "1e400"
                    raise ValueError(valuelist[0])
            except ValueError as exc:
                self.data = None
                raise ValueError(_("Write a number, like 12.5.")) from exc
        else:
            self.data = None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return metres(self.data) if self.data is not None else ""


class WholeField(IntegerField):
    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError as exc:
                self.data = None
                raise ValueError(_("Write a whole number, like 3.")) from exc
        else:
            self.data = None


def metres(value: float | None) -> str:
    """12.0 -> "12", 12.5 -> "12.5" (without the locale: form inputs must read back)."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def shown(value: float) -> str:
    """A number for people to read, in their language (12,5 in French)."""
    return _shown(value, str(get_locale() or "fr"))


@lru_cache(maxsize=4096)
def _shown(value: float, locale: str) -> str:
    # The hall page writes ~700 of them, mostly the same few sizes and places: formatted once each.
    return numbers.format_decimal(value, "#,##0.##", locale=locale)


class _Typed(InputRequired):
    """InputRequired that also refuses blanks: a number field reads "  " as no number at all."""

    def __call__(self, form, field):
        if field.raw_data and isinstance(field.raw_data[0], str) and not field.raw_data[0].strip():
            field.raw_data = [""]
        super().__call__(form, field)


def _required():
    return _Typed(message=_l("This field is required."))


#: How large a number of the hall's forms may be: far beyond any real size, count or weight, within what the
#: columns hold. The services refuse what makes no sense (a negative count, a stand outside the hall) in words
#: of their own.
BOUNDED = InRange(-1_000_000, 1_000_000)


class StandForm(FlaskForm):
    number = StringField(_l("Number"), validators=[DataRequired(message=_l("This field is required.")),
                                                   Length(max=20)])
    x = DecimalField(_l("x (m)"), validators=[_required(), BOUNDED])
    y = DecimalField(_l("y (m)"), validators=[_required(), BOUNDED])
    width = DecimalField(_l("Width (m)"), validators=[_required(), BOUNDED], default=3.0)
    depth = DecimalField(_l("Depth (m)"), validators=[_required(), BOUNDED], default=3.0)
    zone = StringField(_l("Zone"), validators=[Optional(), Length(max=60)])
    zone_en = StringField(_l("Zone in English"), validators=[Optional(), Length(max=60)])
    theme_id = SelectField(_l("Theme"), choices=[], invalid_choice_message=_l("Unknown theme."))
    capacity = WholeField(_l("Groups at once"), validators=[_required(), BOUNDED], default=1)
    visit_minutes = WholeField(_l("Minutes"), validators=[Optional(), BOUNDED])
    min_visits = WholeField(_l("At least"), validators=[Optional(), BOUNDED])
    max_visits = WholeField(_l("At most"), validators=[Optional(), BOUNDED])


def stand_form(event: Event, locale: str, **kwargs) -> StandForm:
    form = StandForm(**kwargs)
    form.theme_id.choices = [SelectChoice("", "—")] + [SelectChoice(str(t.id), t.name(locale)) for t in event.themes]
    return form


class EntranceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("This field is required.")),
                                               Length(max=60)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=60)])
    x = DecimalField(_l("x (m)"), validators=[_required(), BOUNDED])
    y = DecimalField(_l("y (m)"), validators=[_required(), BOUNDED])


class ImageForm(FlaskForm):
    image = FileField(_l("Floor plan (PNG or JPEG, 5 MB at most)"))


class SettingsForm(FlaskForm):
    width = DecimalField(_l("Hall width (m)"), validators=[_required(), BOUNDED])
    depth = DecimalField(_l("Hall depth (m)"), validators=[_required(), BOUNDED])
    walking_speed = DecimalField(_l("Walking pace (m per minute)"), validators=[_required(), BOUNDED])
    visit_minutes = WholeField(_l("Visit length (minutes)"), validators=[_required(), BOUNDED])
    min_visits = WholeField(_l("Minimum visits per startup"), validators=[_required(), BOUNDED])
    weight_base = DecimalField(_l("Base value of a visit"), validators=[_required(), BOUNDED])
    weight_theme = DecimalField(_l("Shared theme"), validators=[_required(), BOUNDED])
    weight_wish = DecimalField(_l("Wish from one side"), validators=[_required(), BOUNDED])
    weight_mutual = DecimalField(_l("Mutual wish"), validators=[_required(), BOUNDED])
    shortfall_penalty = DecimalField(_l("Missing visit penalty"), validators=[_required(), BOUNDED])
    change_penalty = DecimalField(_l("Change penalty"), validators=[_required(), BOUNDED])
    min_route_visits = WholeField(_l("Shortest tour (stands)"), validators=[_required(), InRange(1, 20)])


SETTINGS_HELP = {
    "width": _l("From left to right, as drawn on the plan."),
    "depth": _l("From top to bottom. A smaller hall must still hold every stand."),
    "walking_speed": _l("How far a guided group walks in a minute: about 40 m, slower than one person (70 m)."),
    "visit_minutes": _l("How long a group stays at a stand, unless the stand sets its own length."),
    "min_visits": _l("Visits each startup should get at least, unless its stand sets its own minimum."),
    "weight_base": _l("What any visit is worth, per member of the group, before themes and wishes."),
    "weight_theme": _l("Added per member for each theme the member shares with the startup."),
    "weight_wish": _l("Added per member when the member or the startup asked to meet the other."),
    "weight_mutual": _l("Added instead when both asked to meet each other. \"Not interested\" always means never."),
    "shortfall_penalty": _l("Taken off the plan's value for each visit a startup gets below its minimum."),
    "change_penalty": _l("Taken off for each published visit a re-plan moves or removes: higher keeps plans stable."),
    "min_route_visits": _l("A tour slot that would hold fewer stands than this is left free, and the visitor's "
                           "route says so: a single 10-minute stand is not worth a guided tour. 1 keeps every tour."),
}


def day_choices(event: Event, *, whole_edition: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice("", whole_edition)] if whole_edition else []
    return choices + [SelectChoice(d.isoformat(), format_day(d)) for d in event.days]


class BookingForm(FlaskForm):
    registration_id = SelectField(_l("Startup"), choices=[], validate_choice=False)
    day = SelectField(_l("Day"), choices=[], invalid_choice_message=_l("Choose a day of the edition."))
    start = TimeField(_l("From"), validators=[DataRequired(message=_l("Give a time, like 09:00."))],
                      default=DAY_OPENS)
    end = TimeField(_l("To"), validators=[DataRequired(message=_l("Give a time, like 18:00."))], default=DAY_CLOSES)


class WindowForm(FlaskForm):
    """A day and two local times: a closure, a tour slot."""

    day = SelectField(_l("Day"), choices=[], invalid_choice_message=_l("Choose a day of the edition."))
    start = TimeField(_l("From"), validators=[DataRequired(message=_l("Give a time, like 12:30."))],
                      default=time(12, 30))
    end = TimeField(_l("To"), validators=[DataRequired(message=_l("Give a time, like 14:00."))],
                    default=time(14, 0))


class ClosureForm(WindowForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])


class SlotForm(WindowForm):
    start = TimeField(_l("From"), validators=[DataRequired(message=_l("Give a time, like 10:00."))],
                      default=time(10, 0))
    end = TimeField(_l("To"), validators=[DataRequired(message=_l("Give a time, like 12:00."))],
                    default=time(12, 0))
    label = StringField(_l("Label"), validators=[Optional(), Length(max=120)])
    label_en = StringField(_l("Label in English"), validators=[Optional(), Length(max=120)])


def error_message(error: HallError, event: Event, subject: str = "stand") -> str:
    """The refusal in words, naming what is wrong."""
    p = error.params
    if error.code == "outside_hall":
        size = {"width": shown(p["width"]), "depth": shown(p["depth"])}
        return _("The entrance is outside the hall (%(width)s × %(depth)s m).", **size) if subject == "entrance" \
            else _("The stand is outside the hall (%(width)s × %(depth)s m).", **size)
    if error.code == "bad_number_value":
        return _("A visit lasts at least 1 minute.") if error.field == "visit_minutes" \
            else _("This number cannot be negative.")
    if error.code == "slots_overlap" and "starts_at" in p:
        tz = event.timezone
        return _("This slot overlaps the slot of %(day)s, %(start)s–%(end)s.",
                 day=format_moment(p["starts_at"], tz, "day"), start=format_moment(p["starts_at"], tz, "time"),
                 end=format_moment(p["ends_at"], tz, "time"))
    messages = {
        "bad_number": lambda: _("Give the stand a number of at most 20 characters."),
        "bad_size": lambda: _("The width and the depth must be more than 0 m."),
        "bad_capacity": lambda: _("The capacity must be between 1 and %(high)d groups.", high=p.get("high", 0)),
        "unknown_theme": lambda: _("Unknown theme."),
        "duplicate_number": lambda: _("Another stand already has the number %(number)s.", number=p.get("number")),
        "stands_overlap": lambda: _("The stand overlaps stand %(other)s.", other=p.get("other")),
        "bad_name": lambda: _("Give the entrance a name of at most 60 characters."),
        "ends_before_start": lambda: _("The end must come after the start."),
        "outside_edition": lambda: _("This time is outside the days of the edition."),
        "not_a_startup": lambda: _("Choose a confirmed startup of this edition."),
        "stand_taken": lambda: _("Stand %(stand)s is already held by %(startup)s at that time.",
                                 stand=p.get("stand"), startup=p.get("startup")),
        "startup_has_stand": lambda: _("This startup already holds stand %(stand)s then.", stand=p.get("stand")),
        "slots_overlap": lambda: _("This slot overlaps another tour slot."),
        "bad_hall_size": lambda: _("The hall must measure more than 0 m and at most 2,000 m each way."),
        "bad_speed": lambda: _("The walking pace must be between 5 and 200 m per minute."),
        "bad_visit_minutes": lambda: _("A visit lasts between 1 and 120 minutes."),
        "bad_min_route_visits": lambda: _("The shortest tour holds between 1 and 20 stands."),
        "negative": lambda: _("This value cannot be negative."),
        "stand_outside_smaller_hall": lambda: _("Stand %(stand)s would be outside a hall this small.",
                                                stand=p.get("stand")),
        "image_type": lambda: _("The floor plan must be a PNG or JPEG image."),
        "no_image": lambda: _("Choose an image file."),
    }
    if error.code.startswith("image_") and error.code not in messages:
        return image_refusal_text(error)
    return messages[error.code]() if error.code in messages else error.code
