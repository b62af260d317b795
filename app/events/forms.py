from __future__ import annotations

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.core.forms import InRange
from app.core.i18n import country_name
from app.events.models import EventStatus

#: The countries offered (ISO 3166 codes, the summit's usual ones first); their names are Babel's, in the
#: interface's language (app.core.i18n.country_name).
COUNTRIES = ("FR", "CA", "BE", "CH", "LU", "MA", "SN", "CI", "TN", "CM", "DZ", "BJ", "BF", "ML", "MG", "TG", "GA",
             "CD", "HT", "MC")

STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.OPEN: _l("Open for registration"),
    EventStatus.CLOSED: _l("Registration closed"),
    EventStatus.ARCHIVED: _l("Archived"),
}


def country_choices() -> list[SelectChoice]:
    return [SelectChoice(code, country_name(code)) for code in COUNTRIES]


def timezone_choices() -> list[SelectChoice]:
    return [SelectChoice(tz, tz) for tz in sorted(available_timezones())
            if "/" in tz and not tz.startswith(("Etc/", "SystemV/"))]


class EventForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200)])
    slug = StringField(_l("Short name in addresses"), validators=[
        DataRequired(), Length(max=80),
        Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Lower-case letters, digits and dashes only."))])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120)])
    country = SelectField(_l("Country"), choices=country_choices)
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    timezone = SelectField(_l("Time zone"), choices=timezone_choices, default="Europe/Paris")
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=lambda: [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=5000)])


class CategorySettingsForm(FlaskForm):
    class Meta:
        csrf = False

    requires_approval = BooleanField(_l("Needs approval"))
    is_open = BooleanField(_l("Open"))
    capacity = IntegerField(_l("Cap"), validators=[Optional(), InRange(0, 100_000)])


class CategoriesForm(FlaskForm):
    categories = FieldList(FormField(CategorySettingsForm))


class ThemeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=60),
                                               Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
                                                      message=_l("Lower-case letters, digits and dashes only."))])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
