"""The stand team's pages (contacts, devices, tags) and the attendee's "who scanned me"."""
from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.french import contract_for
from app.core.params import query_int
from app.core.urls import public_url
from app.events.models import Event
from app.leads import devices, exporting, services
from app.leads.errors import LeadError, message
from app.leads.forms import LeadForm, PairForm, TagsForm
from app.registrations.models import Registration
from app.registrations.queries import active_registration

bp = Blueprint("leads", __name__, url_prefix="/e/<slug>", template_folder="templates")

EXPORT_TYPES = {"csv": "text/csv",  # werkzeug adds "; charset=utf-8" to text types
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _stand(event: Event) -> Registration:
    stand = services.stand_for(current_user, event)
    if stand is None:
        abort(403, message(LeadError("not_on_a_stand")))
    return stand


def filters_from(args) -> services.ContactFilters:
    shares = args.get("shares", "")
    return services.ContactFilters(q=args.get("q", "").strip()[:100], tag=args.get("tag", "").strip()[:40],
                                   min_rating=query_int(args, "min_rating", default=None, low=0, high=5),
                                   shares_contact={"yes": True, "no": False}.get(shares))


def export_response(event: Event, leads: list, fmt: str, filename: str, *, stand: Registration | None) -> Response:
    if fmt not in EXPORT_TYPES:
        abort(404)
    body = exporting.export_contacts(event, leads, fmt, stand=stand, actor_id=current_user.id)
    return Response(body, mimetype=EXPORT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


@bp.get("/stand/")
@requires(Access.EXHIBITOR)
def contacts(event: Event):
    stand = _stand(event)
    filters = filters_from(request.args)
    leads = services.contacts(event, stand=stand, filters=filters)
    return render_template("leads/contacts.html", event=event, stand=stand, leads=leads, filters=filters,
                           tags=services.tags_of(stand), views={lead.id: services.contact_view(lead) for lead in leads},
                           stand_name=services.stand_name(stand))


@bp.get("/stand/contacts.<fmt>")
@requires(Access.EXHIBITOR)
def export(event: Event, fmt: str):
    stand = _stand(event)
    leads = services.contacts(event, stand=stand, filters=filters_from(request.args))
    return export_response(event, leads, fmt, f"{event.slug}-contacts", stand=stand)


@bp.route("/stand/contacts/<int:lead_id>", methods=["GET", "POST"])
@requires(Access.EXHIBITOR)
def contact(event: Event, lead_id: int):
    stand = _stand(event)
    lead = services.lead_of(stand, lead_id)
    if lead is None:
        abort(404)
    form = LeadForm(data={"notes": lead.notes, "rating": lead.rating, "tags": ", ".join(lead.tags or [])}
                    if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.edit_lead(lead, notes=form.notes.data or "", rating=form.rating.data, tags=form.labels(),
                                   actor_id=current_user.id)
            except LeadError as error:
                form.tags.errors = [*form.tags.errors, message(error)]
            else:
                flash(_("The contact is saved."), "success")
                return redirect(url_for("leads.contact", slug=event.slug, lead_id=lead.id))
        status = 422
    return render_template("leads/contact.html", event=event, stand=stand, lead=lead, form=form,
                           view=services.contact_view(lead), scans=services.scans_of(lead)), status


@bp.route("/stand/devices", methods=["GET", "POST"])
@requires(Access.EXHIBITOR)
def devices_page(event: Event):
    stand = _stand(event)
    form = PairForm()
    tags_form = TagsForm(data={"tags": ", ".join(services.tags_of(stand))})
    pairing = qr = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            pairing = devices.start_pairing(stand, form.name.data, actor_id=current_user.id)
            link = public_url("leads_api.scanner", _anchor=f"pair={pairing.code}")
            qr = _qr_data_uri(link)
        else:
            status = 422
    return render_template("leads/devices.html", event=event, stand=stand, form=form, tags_form=tags_form,
                           pairing=pairing, qr=qr, devices=devices.devices_of(stand),
                           stand_name=services.stand_name(stand)), status


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@bp.post("/stand/devices/this-phone")
@requires(Access.EXHIBITOR)
def pair_this_phone(event: Event):
    """One tap on the phone already logged in: a pairing code made for it and used at once by the scanner page
    (in the address's fragment, which never reaches the server)."""
    stand = _stand(event)
    name = contract_for(_("%(name)s's phone", name=current_user.first_name), str(get_locale() or "fr"))
    pairing = devices.start_pairing(stand, name, actor_id=current_user.id)
    return redirect(url_for("leads_api.scanner", _anchor=f"pair={pairing.code}"))


@bp.post("/stand/devices/<int:device_id>/revoke")
@requires(Access.EXHIBITOR)
def revoke_device(event: Event, device_id: int):
    stand = _stand(event)
    device = devices.device_of(stand, device_id)
    if device is None:
        abort(404)
    devices.revoke(device, actor_id=current_user.id)
    flash(_("%(name)s is unpaired: it can no longer send scans.", name=device.name), "success")
    return redirect(url_for("leads.devices_page", slug=event.slug))


@bp.post("/stand/tags")
@requires(Access.EXHIBITOR)
def save_tags(event: Event):
    stand = _stand(event)
    form = TagsForm()
    if not form.validate_on_submit():
        abort(400, _("The tags are not valid."))
    try:
        services.set_tags(stand, form.labels(), actor_id=current_user.id)
    except LeadError as error:
        abort(422, message(error))
    flash(_("Your tags are saved."), "success")
    return redirect(url_for("leads.devices_page", slug=event.slug))


@bp.get("/scanned-me")
@requires(Access.ATTENDEE)
def scanned_me(event: Event):
    registration = active_registration(event.id, current_user.id)
    return render_template("leads/scanned_me.html", event=event, registration=registration,
                           scanners=services.scanned_by(registration))
