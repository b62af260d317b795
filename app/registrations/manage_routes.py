"""The organiser's back office for registrations, delegations and the outbox."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.core.access import Access, requires
from app.core.params import BadParameter, form_id, form_ids, form_int, query_int
from app.events.forms import COUNTRIES
from app.events.models import Event
from app.extensions import db
from app.people.models import display_name
from app.registrations import delegations as delegation_services
from app.registrations import day_checks, exporting, services
from app.registrations.models import Delegation, Registration
from app.registrations.words import count_sentence, decision_message, listed_sentence
from app.registrations.outbox import MAIL_STATUS_NAMES, outbox_page, readable_body
from app.registrations.queries import PAGE_SIZE, RegistrationFilters, page_of, registration_counts
from app.registrations.routes import error_message

manage_bp = Blueprint("registrations_manage", __name__, url_prefix="/manage/e/<slug>", template_folder="templates")

BULK_ACTIONS = ("approve", "decline", "cancel")


def _registration_of(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


#: Pages of the registration list one may ask for (50 a page).
MAX_PAGE = 100_000


@manage_bp.get("/registrations")
@requires(Access.ORGANISER)
def index(event: Event):
    filters = RegistrationFilters.from_args(request.args)
    page = query_int(request.args, "page", default=1, high=MAX_PAGE)
    rows, total = page_of(event, filters, page)
    pages = max(1, -(-total // PAGE_SIZE))
    count_text = count_sentence(registration_counts([event.id])[event.id])
    return render_template("registrations/manage_list.html", event=event, rows=rows, total=total, page=page,
                           pages=pages, filters=filters, countries=COUNTRIES, count_text=count_text,
                           listed_text=listed_sentence(total, is_filtered=bool(filters.as_args())))


@manage_bp.post("/registrations/bulk")
@requires(Access.ORGANISER)
def bulk(event: Event):
    action = request.form.get("action", "")
    ids = form_ids(request.form, "ids")
    back = url_for("registrations_manage.index", slug=event.slug, **RegistrationFilters.from_args(request.args).as_args())
    if action not in BULK_ACTIONS:
        flash(_("Choose an action."), "error")
        return redirect(back)
    if not ids:
        flash(_("Select at least one registration."), "error")
        return redirect(back)
    flash(decision_message(action, _decide(event, action, ids)), "success")
    return redirect(back)


def _decide(event: Event, action: str, ids: list[int]) -> services.Decision:
    if action == "approve":
        return services.approve(event, ids, actor_id=current_user.id)
    return services.cancel(event, ids, actor_id=current_user.id,
                           reason="declined" if action == "decline" else "cancelled")


@manage_bp.route("/registrations/<int:registration_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def edit(event: Event, registration_id: int):
    registration = _registration_of(event, registration_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        try:
            services.update_registration(
                event, registration, category_code=form.get("category", ""), job_title=form.get("job_title", ""),
                territory=form.get("territory", ""), days=form.getlist("days"), theme_codes=form.getlist("themes"),
                actor_id=current_user.id, mandate_title=form.get("mandate_title"))
        except services.RegistrationError as error:
            errors[error.field or "category"] = error_message(error)
        else:
            flash(_("The registration is saved."), "success")
            return redirect(url_for("registrations_manage.edit", slug=event.slug, registration_id=registration.id))
    status = 422 if errors else 200
    return render_template("registrations/manage_edit.html", event=event, registration=registration,
                           errors=errors, off_days=day_checks.off_days(registration),
                           day_list=day_checks.days_text(registration)), status


@manage_bp.post("/registrations/<int:registration_id>/<action>")
@requires(Access.ORGANISER)
def act(event: Event, registration_id: int, action: str):
    registration = _registration_of(event, registration_id)
    if action not in BULK_ACTIONS:
        abort(404)
    flash(decision_message(action, _decide(event, action, [registration.id])), "success")
    return redirect(url_for("registrations_manage.edit", slug=event.slug, registration_id=registration.id))


@manage_bp.route("/delegations", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def delegations(event: Event):
    error = None
    if request.method == "POST":
        try:
            delegation = delegation_services.create_delegation(event, request.form.get("name", "")[:200],
                                                               actor_id=current_user.id)
        except services.RegistrationError as exc:
            error = _("A delegation of this name already exists.") if exc.code == "delegation_exists" \
                else _("Give the delegation a name.")
        else:
            return redirect(url_for("registrations_manage.delegation", slug=event.slug, delegation_id=delegation.id))
    rows = db.session.execute(
        select(Delegation, func.count(Registration.id))
        .outerjoin(Registration, Registration.delegation_id == Delegation.id)
        .where(Delegation.event_id == event.id).group_by(Delegation.id).order_by(Delegation.name)
        .options(selectinload(Delegation.coordinator).joinedload(Registration.person))
    ).all()
    return render_template("registrations/delegations.html", event=event, rows=rows, error=error), \
        422 if error else 200


def _delegation_of(event: Event, delegation_id: int) -> Delegation:
    delegation = db.session.get(Delegation, delegation_id, options=[
        selectinload(Delegation.members).joinedload(Registration.person)])
    if delegation is None or delegation.event_id != event.id:
        abort(404)
    return delegation


def _members_from(form, delegation: Delegation) -> tuple[list[int], int | None]:
    """The members in protocol order (the ranks typed, then those added) and the coordinator, from the form."""
    removed = set(form_ids(form, "remove"))
    ranked = []
    for member in delegation.members:
        if member.id in removed:
            continue
        rank = form_int(form, f"rank-{member.id}", default=999, low=0, high=999,
                       label=_("Protocol order of %(name)s",
                               name=display_name(member.person.first_name, member.person.last_name)))
        ranked.append((rank, member.protocol_rank or 999, member.id))
    ordered = [member_id for *_, member_id in sorted(ranked)]
    ordered += [i for i in form_ids(form, "add") if i not in ordered]
    coordinator_id = form_id(form, "coordinator")
    return ordered, None if coordinator_id in removed else coordinator_id


@manage_bp.route("/delegations/<int:delegation_id>", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def delegation(event: Event, delegation_id: int):
    delegation = _delegation_of(event, delegation_id)
    error = None
    if request.method == "POST":
        try:
            ordered, coordinator_id = _members_from(request.form, delegation)
            delegation_services.set_members(event, delegation, ordered, coordinator_id, actor_id=current_user.id)
        except BadParameter as exc:
            error = exc.description
        except services.RegistrationError as exc:
            error = {
                "in_other_delegation": _("%(name)s already belongs to the delegation %(delegation)s.",
                                         name=exc.params.get("name"), delegation=exc.params.get("delegation")),
                "cancelled_member": _("%(name)s has cancelled their registration.", name=exc.params.get("name")),
                "coordinator_not_member": _("The coordinator must be a member of the delegation."),
            }.get(exc.code, _("The selection is not valid."))
        else:
            flash(_("The delegation is saved."), "success")
            return redirect(url_for("registrations_manage.delegation", slug=event.slug, delegation_id=delegation.id))
    who = request.args.get("who", "").strip()[:200]
    return render_template("registrations/delegation.html", event=event, delegation=delegation, who=who,
                           search=delegation_services.find_candidates(event, who), error=error), 422 if error else 200


@manage_bp.post("/delegations/<int:delegation_id>/delete")
@requires(Access.ORGANISER)
def delete_delegation(event: Event, delegation_id: int):
    delegation = _delegation_of(event, delegation_id)
    delegation_services.delete_delegation(event, delegation, actor_id=current_user.id)
    flash(_("The delegation is removed; its members stay registered."), "success")
    return redirect(url_for("registrations_manage.delegations", slug=event.slug))


@manage_bp.get("/outbox")
@requires(Access.ORGANISER)
def outbox(event: Event):
    q = request.args.get("q", "").strip()[:200]
    page = query_int(request.args, "page", default=1, high=MAX_PAGE)
    found = outbox_page(event, q, page)
    hidden = _("[link hidden: it opens the recipient's account]")
    return render_template("registrations/outbox.html", event=event, found=found, q=q,
                           MAIL_STATUS_NAMES=MAIL_STATUS_NAMES,
                           bodies={m.id: readable_body(m, hidden) for m in found.messages})


@manage_bp.get("/registrations/export.<fmt>")
@requires(Access.ORGANISER)
def export(event: Event, fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    body = exporting.export_registrations(event, RegistrationFilters.from_args(request.args), fmt,
                                          actor_id=current_user.id)
    mimetype = "text/csv" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = f"{event.slug}-registrations.{fmt}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
