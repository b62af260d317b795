"""The public registration form, shaped by the category chosen first."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, FieldList, FormField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, URLField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import InRange
from app.core.timefmt import format_day
from app.events.forms import country_choices
from app.events.models import CategoryCode, Event
from app.registrations.labels import MANDATE_NAMES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TeamMemberForm(FlaskForm):
    """A colleague's details: no autocomplete, or the browser would fill in the registrant's own."""
    class Meta:
        csrf = False

    first_name = StringField(_l("First name"), validators=[Optional(), Length(max=100)], render_kw={"autocomplete": "off"})
    last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=100)], render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)], render_kw={"autocomplete": "off"})

    def validate(self, extra_validators=None):
        # Checked here, not in validate_email: the field's Optional() ends its chain when it is empty.
        valid = super().validate(extra_validators)
        if (self.first_name.data or self.last_name.data) and not self.email.data:
            self.email.errors = [*self.email.errors, _l("Give the e-mail of this team member.")]
            return False
        return valid


class RegistrationForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)],
                             render_kw={"autocomplete": "given-name"})
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)],
                            render_kw={"autocomplete": "family-name"})
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)], render_kw={"autocomplete": "tel"})
    country = SelectField(_l("Country"), choices=country_choices, default="FR", render_kw={"autocomplete": "country"})
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)],
                               render_kw={"autocomplete": "organization"})
    job_title = StringField(_l("Position"), validators=[Optional(), Length(max=200)],
                            render_kw={"autocomplete": "organization-title"})
    themes = MultiCheckboxField(_l("Themes you care about"), choices=[])
    days = MultiCheckboxField(_l("Days you attend"), choices=[], validators=[DataRequired(message=_l("Choose at least one day."))])
    consent_directory = BooleanField(_l("Show my name and organisation in the list of attendees"))
    consent_share_contact = BooleanField(_l("Share my e-mail and phone with the exhibitors who scan my badge"))


class ElectedOfficialForm(RegistrationForm):
    mandate = SelectField(_l("Mandate"), choices=lambda: [SelectChoice("", "—")] + [
        SelectChoice(m.value, n) for m, n in MANDATE_NAMES.items()],
                          validators=[DataRequired(message=_l("Choose your mandate."))])
    mandate_title = StringField(_l("Your title, as printed on your badge"), validators=[Optional(), Length(max=120)],
                                render_kw={"list": "mandate-titles", "autocomplete": "off"})
    territory = StringField(_l("City or territory"), validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "address-level2"})
    population = IntegerField(_l("Population of the territory"), validators=[Optional(), InRange(0, 100_000_000)])


class StartupForm(RegistrationForm):
    pitch = TextAreaField(_l("Your innovation in a few lines"), validators=[DataRequired(), Length(max=800)])
    pitch_en = TextAreaField(_l("The same in English (optional)"), validators=[Optional(), Length(max=800)])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)], render_kw={"autocomplete": "url"})
    team = FieldList(FormField(TeamMemberForm), min_entries=3, max_entries=3)


FORM_FOR = {CategoryCode.ELU: ElectedOfficialForm, CategoryCode.STARTUP: StartupForm}
#: Categories where the organisation is required, and what it is called there.
ORGANISATION_LABEL = {
    CategoryCode.STARTUP: _l("Startup name"),
    CategoryCode.ENTREPRISE: _l("Company"),
    CategoryCode.PRESSE: _l("Media outlet"),
    CategoryCode.DECIDEUR: _l("Authority or body"),
}


def registration_form(event: Event, code: CategoryCode, locale: str, **kwargs) -> RegistrationForm:
    form = FORM_FOR.get(code, RegistrationForm)(**kwargs)
    form.themes.choices = [SelectChoice(t.code, t.name(locale)) for t in event.themes]
    form.days.choices = [SelectChoice(d.isoformat(), format_day(d)) for d in event.days]
    if code in ORGANISATION_LABEL:
        form.organisation.label.text = ORGANISATION_LABEL[code]
        form.organisation.validators = [DataRequired(), Length(max=200)]
        form.organisation.flags.required = True
    if code == CategoryCode.STARTUP:
        form.themes.label.text = _l("Fields of your innovation")
    return form


class ConsentForm(FlaskForm):
    consent_directory = BooleanField(_l("Show my name and organisation in the list of attendees"))
    consent_share_contact = BooleanField(_l("Share my e-mail and phone with the exhibitors who scan my badge"))
