"""Public registration pages, and an attendee's own registrations."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.access import Access, requires
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.registrations import services
from app.registrations.forms import ConsentForm, registration_form
from app.registrations.labels import MANDATE_NAMES, STATUS_NAMES, mandate_title, title_suggestions
from app.registrations.models import Mandate, Registration, RegistrationStatus
from app.registrations.queries import has_active_registration

bp = Blueprint("registrations", __name__, template_folder="templates")


@bp.app_context_processor
def labels_context() -> dict:
    return {"STATUS_NAMES": STATUS_NAMES, "MANDATE_NAMES": MANDATE_NAMES, "is_registered_to": is_registered_to,
            "mandate_title": mandate_title}


def is_registered_to(event: Event) -> bool:
    """Whether the visitor is registered to `event` (not cancelled): the event's pages then lead to her own."""
    return current_user.is_authenticated and has_active_registration(current_user.id, event.id)


def error_message(error: services.RegistrationError) -> str:
    """The visitor-facing text of a refused registration."""
    return {
        "event_closed": _("Registration for this edition is closed."),
        "category_closed": _("This category is not open for registration."),
        "no_day": _("Choose at least one day."),
        "day_outside": _("%(day)s is not a day of this edition.", day=error.params.get("day", "")),
        "unknown_theme": _("Unknown theme: %(theme)s.", theme=error.params.get("theme", "")),
        "mandate_required": _("Give your mandate and your territory."),
        "pitch_required": _("Describe your innovation in a few lines."),
        "team_duplicate": _("The same e-mail appears twice in the team."),
        "duplicate": _("%(email)s is already registered for this edition.", email=error.params.get("email", "")),
        "unknown_category": _("Unknown category."),
    }.get(error.code, error.code)


def _open_category(event: Event, code: str):
    try:
        category_code = CategoryCode(code)
    except ValueError:
        abort(404)
    category = event.category(category_code.value)
    if category is None:
        abort(404)
    return category_code, category


@bp.get("/e/<slug>/register")
@requires(Access.PUBLIC)
def choose_category(event: Event):
    if not event.is_open_for_registration:
        return render_template("registrations/closed.html", event=event), 403
    return render_template("registrations/choose.html", event=event, full=services.full_category_ids(event))


@bp.route("/e/<slug>/register/<code>", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def register(event: Event, code: str):
    category_code, category = _open_category(event, code)
    if not event.is_open_for_registration or not category.is_open:
        return render_template("registrations/closed.html", event=event), 403
    locale = str(get_locale() or "fr")
    form = registration_form(event, category_code, locale)
    if request.method == "GET" and current_user.is_authenticated:
        form.process(data={"first_name": current_user.first_name, "last_name": current_user.last_name,
                           "email": current_user.email, "phone": current_user.phone})
    if form.validate_on_submit():
        data = services.RegistrationInput(
            category=category_code,
            email=form.email.data, first_name=form.first_name.data, last_name=form.last_name.data,
            phone=(form.phone.data or "").strip(), country=form.country.data, locale=locale,
            organisation_name=(form.organisation.data or "").strip(), job_title=(form.job_title.data or "").strip(),
            theme_codes=list(form.themes.data), days=[date.fromisoformat(d) for d in form.days.data],
            consent_directory=form.consent_directory.data, consent_share_contact=form.consent_share_contact.data,
        )
        if category_code == CategoryCode.ELU:
            data.mandate = Mandate(form.mandate.data)
            data.mandate_title = (form.mandate_title.data or "").strip()
            data.territory = form.territory.data.strip()
            data.population = form.population.data
        if category_code == CategoryCode.STARTUP:
            data.pitch = form.pitch.data
            data.pitch_en = form.pitch_en.data or ""
            data.website = form.website.data or ""
            data.team = [services.TeamMember(m.first_name.data or "", m.last_name.data or "", m.email.data)
                         for m in (entry.form for entry in form.team.entries) if m.email.data]
        try:
            registration = services.register(event, data, source="web")
        except services.RegistrationError as error:
            target = getattr(form, error.field, None) if error.field else None
            if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
                target.errors.append(error_message(error))
            else:
                form.form_errors.append(error_message(error))
        else:
            session["last_registration"] = registration.id
            return redirect(url_for("registrations.done", slug=event.slug))
    status = 422 if request.method == "POST" else 200
    return render_template("registrations/form.html", event=event, form=form, code=category_code,
                           title_suggestions=title_suggestions(),
                           category=category, is_full=category.id in services.full_category_ids(event)), status


@bp.get("/e/<slug>/register/done")
@requires(Access.PUBLIC)
def done(event: Event):
    registration_id = session.get("last_registration")
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None or registration.event_id != event.id:
        return redirect(url_for("registrations.choose_category", slug=event.slug))
    return render_template("registrations/done.html", event=event, registration=registration)


def _own_registration(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.person_id != current_user.id:
        abort(404)
    return registration


def attendee_landing(person) -> str | None:
    """A person registered to an edition (not cancelled) lands on her own pages: registrations, agenda, route."""
    return url_for("registrations.mine") if has_active_registration(person.id) else None


@bp.get("/me")
@requires(Access.LOGIN)
def mine():
    registrations = db.session.scalars(
        select(Registration).where(Registration.person_id == current_user.id).order_by(Registration.created_at.desc())
    ).all()
    forms = {r.id: ConsentForm(obj=r, prefix=f"r{r.id}") for r in registrations}
    return render_template("registrations/mine.html", registrations=registrations, forms=forms)


@bp.post("/me/registrations/<int:registration_id>/consents")
@requires(Access.LOGIN)
def update_consents(registration_id: int):
    registration = _own_registration(registration_id)
    form = ConsentForm(prefix=f"r{registration.id}")
    if not form.validate_on_submit():
        abort(400)
    services.update_consents(registration, directory=form.consent_directory.data,
                             share_contact=form.consent_share_contact.data, actor_id=current_user.id)
    flash(_("Your choices are saved."), "success")
    return redirect(url_for("registrations.mine"))


@bp.post("/me/registrations/<int:registration_id>/cancel")
@requires(Access.LOGIN)
def cancel_mine(registration_id: int):
    registration = _own_registration(registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        abort(400, _("This registration is already cancelled."))
    services.cancel(registration.event, [registration.id], actor_id=current_user.id)
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("registrations.mine"))
