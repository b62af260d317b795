"""The organiser's webhook pages: the endpoints, each with its form and secret, and the deliveries with their
detail and a button to send one again."""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.api.webhooks import services
from app.api.webhooks.addresses import AddressRefused
from app.api.webhooks.forms import EVENT_LABELS, STATUS_LABELS, EndpointForm, message, show_refusal
from app.api.webhooks.services import WebhookError
from app.core.access import Access, requires
from app.core.params import query_int
from app.core.sentences import gettext as _
from app.events.models import Event

bp = Blueprint("webhooks", __name__, url_prefix="/manage/e/<slug>/api/webhooks", template_folder="templates")

LABELS = {"events": EVENT_LABELS, "statuses": STATUS_LABELS}


def _endpoint(event: Event, endpoint_id: int):
    endpoint = services.endpoint_of(event, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.get("/")
@requires(Access.ORGANISER)
def index(event: Event):
    page = query_int(request.args, "page", default=1, high=100_000)
    rows, total = services.deliveries(event, page)
    pages = max(1, -(-total // services.PER_PAGE))
    return render_template("webhooks/index.html", event=event, endpoints=services.endpoints(event),
                           deliveries=rows, total=total, page=page, pages=pages, labels=LABELS)


def _save(event: Event, endpoint, form: EndpointForm):
    """The form handed to the service: a redirect once saved, else the form again with its status."""
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                if endpoint is None:
                    endpoint = services.create_endpoint(event, form.to_input(), actor_id=current_user.id)
                    flash(_("The endpoint is added. Its secret is shown below: give it to the receiving tool."),
                          "success")
                else:
                    services.update_endpoint(endpoint, form.to_input(), actor_id=current_user.id)
                    flash(_("The endpoint is saved."), "success")
                return redirect(url_for("webhooks.edit", slug=event.slug, endpoint_id=endpoint.id))
            except (WebhookError, AddressRefused) as error:
                show_refusal(form, error)
        status = 422
    else:
        status = 200
    return render_template("webhooks/edit.html", event=event, form=form, endpoint=endpoint, labels=LABELS), status


@bp.route("/new", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def new(event: Event):
    form = EndpointForm() if request.method == "POST" else EndpointForm(data={"events": []})
    return _save(event, None, form)


@bp.route("/<int:endpoint_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def edit(event: Event, endpoint_id: int):
    endpoint = _endpoint(event, endpoint_id)
    form = EndpointForm() if request.method == "POST" else EndpointForm.of(endpoint)
    return _save(event, endpoint, form)


@bp.post("/<int:endpoint_id>/rotate")
@requires(Access.ORGANISER)
def rotate(event: Event, endpoint_id: int):
    services.rotate_secret(_endpoint(event, endpoint_id), actor_id=current_user.id)
    flash(_("A new secret is made: the old one no longer works. Give the new one to the receiving tool."), "success")
    return redirect(url_for("webhooks.edit", slug=event.slug, endpoint_id=endpoint_id))


@bp.post("/<int:endpoint_id>/active")
@requires(Access.ORGANISER)
def switch(event: Event, endpoint_id: int):
    endpoint = _endpoint(event, endpoint_id)
    active = request.form.get("active") == "1"
    services.set_active(endpoint, active, actor_id=current_user.id)
    flash(_("The endpoint is switched on.") if active else _("The endpoint is switched off: nothing is sent to it."),
          "success")
    return redirect(url_for("webhooks.edit", slug=event.slug, endpoint_id=endpoint_id))


@bp.post("/<int:endpoint_id>/delete")
@requires(Access.ORGANISER)
def unregister(event: Event, endpoint_id: int):
    services.delete_endpoint(_endpoint(event, endpoint_id), actor_id=current_user.id)
    flash(_("The endpoint is deleted."), "success")
    return redirect(url_for("webhooks.index", slug=event.slug))


@bp.get("/deliveries/<int:delivery_id>")
@requires(Access.ORGANISER)
def delivery(event: Event, delivery_id: int):
    found = services.delivery_of(event, delivery_id)
    if found is None:
        abort(404)
    payload = json.dumps(found.payload, ensure_ascii=False, indent=2)
    return render_template("webhooks/delivery.html", event=event, delivery=found, payload=payload, labels=LABELS)


@bp.post("/deliveries/<int:delivery_id>/resend")
@requires(Access.ORGANISER)
def resend(event: Event, delivery_id: int):
    found = services.delivery_of(event, delivery_id)
    if found is None:
        abort(404)
    try:
        services.resend(found, actor_id=current_user.id)
    except WebhookError as error:
        flash(message(error), "error")
    else:
        flash(_("The delivery is sent again, with the same identifier."), "success")
    return redirect(url_for("webhooks.delivery", slug=event.slug, delivery_id=delivery_id))
