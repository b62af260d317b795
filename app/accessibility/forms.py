from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

MAX_MESSAGE = 5000


class ReportForm(FlaskForm):
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Your e-mail address, for the answer"),
                       validators=[DataRequired(_l("Give an e-mail address so that the organisers can answer you.")),
                                   Email(_l("This is not an e-mail address (name@example.org).")), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    page = StringField(_l("Page concerned (its address or its title)"),
                       validators=[DataRequired(_l("Say which page the problem is on.")), Length(max=500)],
                       render_kw={"autocomplete": "off"})
    message = TextAreaField(_l("The problem you met"),
                            validators=[DataRequired(_l("Describe the problem you met.")),
                                        Length(max=MAX_MESSAGE, message=_l("At most %(max)d characters.",
                                                                           max=MAX_MESSAGE))])
