"""The endpoint form, the event types' and statuses' names, and the refusals' messages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.api.models import WebhookEndpoint
from app.api.webhooks import kinds
from app.api.webhooks.services import EndpointInput
from app.core.domain import DomainError
from app.core.sentences import gettext as _

EVENT_LABELS = {
    kinds.REGISTRATION_CREATED: _l("A registration is created"),
    kinds.REGISTRATION_UPDATED: _l("A registration is changed"),
    kinds.CHECKIN_CREATED: _l("Someone is checked in at the door"),
    kinds.LEAD_CREATED: _l("A stand scans a new contact"),
    kinds.PLAN_PUBLISHED: _l("The visit plan is published"),
    kinds.PROGRAM_PUBLISHED: _l("The programme is published"),
}
STATUS_LABELS = {"pending": _l("Pending"), "delivered": _l("Delivered"), "failed": _l("Failed")}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EndpointForm(FlaskForm):
    url = StringField(_l("Address (URL)"), validators=[DataRequired(), Length(max=500)])
    description = StringField(_l("Description"), validators=[Length(max=120)])
    events = MultiCheckboxField(_l("Events sent"), choices=[], validators=[
        DataRequired(message=_l("Choose at least one event."))])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.events.choices = [(kind, EVENT_LABELS[kind]) for kind in kinds.EVENT_TYPES]

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> EndpointForm:
        return cls(data={"url": endpoint.url, "description": endpoint.description, "events": endpoint.events})

    def to_input(self) -> EndpointInput:
        return EndpointInput(url=self.url.data or "", description=self.description.data or "",
                             events=list(self.events.data or []))


def message(error: DomainError) -> str:
    params = error.params
    texts = {
        "url_invalid": lambda: _("Enter a full address, such as https://example.org/hooks."),
        "url_credentials": lambda: _("The address must not hold a user name or a password."),
        "url_not_https": lambda: _("The address must start with https://."),
        "url_unresolved": lambda: _("The server %(host)s cannot be found.", host=params.get("host", "")),
        "url_private": lambda: _("%(host)s is a private or local address (%(address)s): webhooks are only sent to "
                                 "public servers.", host=params.get("host", ""), address=params.get("address", "")),
        "url_too_long": lambda: _("The address is too long (500 characters at most)."),
        "description_too_long": lambda: _("The description is too long (120 characters at most)."),
        "events_invalid": lambda: _("Choose at least one event from the list."),
        "endpoint_inactive": lambda: _("This endpoint is switched off: switch it on to send again."),
    }
    return texts.get(error.code, lambda: _("This change is not possible."))()


def show_refusal(form: EndpointForm, error: DomainError) -> None:
    field = form._fields.get(error.field or "")
    if field is not None and field.name != "csrf_token":
        field.errors = [*field.errors, message(error)]
    else:
        form.form_errors.append(message(error))
