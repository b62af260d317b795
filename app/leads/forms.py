"""The stand team's forms: pairing a device, the stand's tags, a contact's notes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import InRange
from app.leads.devices import MAX_DEVICE_NAME


class PairForm(FlaskForm):
    name = StringField(_l("Device name"), validators=[DataRequired(), Length(max=MAX_DEVICE_NAME)])


class TagsForm(FlaskForm):
    tags = StringField(_l("Your tags, separated by commas"), validators=[Optional(), Length(max=500)])

    def labels(self) -> list[str]:
        return [t.strip() for t in (self.tags.data or "").split(",") if t.strip()]


class LeadForm(FlaskForm):
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    rating = IntegerField(_l("Rating (0 to 5)"), validators=[Optional(), InRange(0, 5)])
    tags = StringField(_l("Tags, separated by commas"), validators=[Optional(), Length(max=500)])

    def labels(self) -> list[str]:
        return [t.strip() for t in (self.tags.data or "").split(",") if t.strip()]
