"""The members' forms: a city's page, a new city, a city's contacts, a theme, a network organiser."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, FieldList, Form, FormField, HiddenField, IntegerField, RadioField,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.converters import ID_MAX
from app.core.forms import INT32_MAX, InRange
from app.core.i18n import country_name, current_language
from app.core.params import parse_int
from app.network.members.manage import NewCityInput
from app.network.members.services import MAX_DESCRIPTION, MAX_PLACES, CityInput, PlaceInput, country_codes
from app.network.models import NetworkCity, PlaceKind

PLACE_KIND_LABELS = {PlaceKind.INCUBATOR: _l("Incubator"), PlaceKind.THIRD_PLACE: _l("Third place (tiers-lieu)")}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_id(value):
    """A select's or radio's id: None when blank, ValueError (the field's error) when it is not an id."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    parsed = parse_int(str(value), low=1, high=ID_MAX)
    if parsed is None:
        raise ValueError(_l("Not a valid choice."))
    return parsed


def country_choices() -> list[SelectChoice]:
    return sorted((SelectChoice(code, country_name(code)) for code in country_codes()), key=lambda c: c.label)


class PlaceRowForm(Form):
    place_id = HiddenField()
    kind = SelectField(_l("Kind of place"), choices=[SelectChoice(k.value, label)
                                                     for k, label in PLACE_KIND_LABELS.items()])
    name = StringField(_l("Name of the place"), validators=[Optional(), Length(max=200)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    remove = BooleanField(_l("Remove"))

    def validate_place_id(self, field):
        if (field.data or "").strip() and parse_int(field.data, low=1, high=ID_MAX) is None:
            raise ValidationError(_l("Place: reload the page and try again."))


class CityForm(FlaskForm):
    description_fr = TextAreaField(_l("Description (French)"), validators=[Optional(), Length(max=MAX_DESCRIPTION)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=MAX_DESCRIPTION)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=120)])
    population = IntegerField(_l("Population"), validators=[Optional(), InRange(1, INT32_MAX)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    places = FieldList(FormField(PlaceRowForm), label=_l("Incubators and third places"), max_entries=MAX_PLACES + 1)

    def to_input(self) -> CityInput:
        places = []
        for row in self.places.entries:
            data = row.form
            place_id = parse_int(data.place_id.data, low=1, high=ID_MAX)
            if data.remove.data or (place_id is None and not (data.name.data or "").strip()):
                continue
            places.append(PlaceInput(kind=data.kind.data or "", name=data.name.data or "",
                                     website=(data.website.data or "").strip(), place_id=place_id))
        return CityInput(description_fr=self.description_fr.data or "", description_en=self.description_en.data or "",
                         region=self.region.data or "", theme_ids=list(self.themes.data or []),
                         population=self.population.data, country=self.country.data or "", places=places)

    @classmethod
    def of(cls, city: NetworkCity, themes, formdata=None) -> CityForm:
        data = {"description_fr": city.description_fr, "description_en": city.description_en, "region": city.region,
                "population": city.organisation.population, "country": city.organisation.country,
                "themes": [t.id for t in city.themes],
                "places": [{"place_id": str(p.id), "kind": p.kind.value, "name": p.name, "website": p.website}
                           for p in city.places] + [{"kind": PlaceKind.INCUBATOR.value}]}
        # A form sent is read as sent (a new place's row must not take an existing place's id from `data`).
        form = cls(formdata=formdata) if formdata is not None else cls(data=data)
        form.country.choices = country_choices()
        form.themes.choices = [SelectChoice(t.id, t.name(current_language())) for t in themes]
        return form


def sponsor_choices(cities) -> list[SelectChoice]:
    return [SelectChoice("", _l("None")), *(SelectChoice(c.id, c.name) for c in cities)]


class NewCityForm(FlaskForm):
    q = HiddenField()
    organisation_id = RadioField(_l("Existing local authority"), coerce=optional_id, validate_choice=False)
    name = StringField(_l("Name of a new city"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), default="FR")
    population = IntegerField(_l("Population"), validators=[Optional(), InRange(1, INT32_MAX)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=120)])
    sponsor_id = SelectField(_l("Sponsor (the member city that brought it in)"), coerce=optional_id,
                             validate_choice=False)
    official_email = EmailField(_l("Official contact (e-mail address)"), validators=[Optional(), Length(max=254)])
    staff_email = EmailField(_l("Staff contact (e-mail address)"), validators=[Optional(), Length(max=254)])

    def to_input(self) -> NewCityInput:
        return NewCityInput(organisation_id=self.organisation_id.data, name=self.name.data or "",
                            country=self.country.data or "", population=self.population.data,
                            region=self.region.data or "", sponsor_id=self.sponsor_id.data,
                            official_email=self.official_email.data or "", staff_email=self.staff_email.data or "")


class ContactsForm(FlaskForm):
    official_email = EmailField(_l("Official contact (e-mail address)"), validators=[Optional(), Length(max=254)])
    staff_email = EmailField(_l("Staff contact (e-mail address)"), validators=[Optional(), Length(max=254)])
    sponsor_id = SelectField(_l("Sponsor (the member city that brought it in)"), coerce=optional_id,
                             validate_choice=False)


class ThemeForm(FlaskForm):
    theme_id = HiddenField()
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=60)])
    name_fr = StringField(_l("Name (French)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])

    def validate_theme_id(self, field):
        if (field.data or "").strip() and parse_int(field.data, low=1, high=ID_MAX) is None:
            raise ValidationError(_l("Theme: reload the page and try again."))

    @property
    def theme_id_value(self) -> int | None:
        return parse_int(self.theme_id.data, low=1, high=ID_MAX)


class OrganiserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


class MembershipForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    year = IntegerField(_l("Year"), validators=[Optional(), InRange(2000, 2100)])
