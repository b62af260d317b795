"""The forms that make an API token: an organiser's (name, scopes, expiry) and a startup's (name, expiry)."""
from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.api.scopes import ORGANISER_SCOPES, SCOPE_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """An unknown scope is the service's refusal (scope_not_allowed), named on the field: not WTForms'."""


def default_expiry() -> date:
    return date.today() + timedelta(days=current_app.config["API_TOKEN_DEFAULT_DAYS"])


class StandTokenForm(FlaskForm):
    # The length and the presence are checked by the service (create_token), whose refusal names the field.
    name = StringField(_l("Name of the token (the tool that uses it)"), render_kw={"maxlength": 80})
    expires_on = DateField(_l("Expires on"), validators=[Optional()], default=default_expiry)
    #: The form's one-time id: sent again (a reload of the page that shows the secret), it makes no second token.
    form_id = HiddenField(default=lambda: secrets.token_urlsafe(16))


class TokenForm(StandTokenForm):
    scopes = MultiCheckboxField(_l("What it may do"), choices=lambda: [SelectChoice(s, SCOPE_LABELS[s])
                                                                   for s in ORGANISER_SCOPES])

    def chosen_scopes(self) -> list[str]:
        return list(self.scopes.data or [])
