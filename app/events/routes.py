"""Public edition pages, and the organiser's edition setup."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.access import Access, event_roles, requires
from app.events import services
from app.events.forms import STATUS_LABELS, CategoriesForm, EventForm, ThemeForm
from app.events.labels import CATEGORY_BLURBS, CATEGORY_LABELS
from app.events.models import Event, EventStatus
from app.extensions import db

bp = Blueprint("events", __name__, template_folder="templates")
manage_bp = Blueprint("events_manage", __name__, url_prefix="/manage", template_folder="templates")


def event_error_message(error: services.EventError) -> str:
    return {
        "required": _("This field is required."),
        "bad_slug": _("Lower-case letters, digits and dashes only."),
        "slug_taken": _("Another edition already uses this short name."),
        "bad_timezone": _("Unknown time zone."),
        "ends_before_start": _("The last day is before the first day."),
        "too_long": _("An edition lasts at most 15 days."),
        "theme_exists": _("Another theme of this edition already uses this code."),
    }.get(error.code, error.code)


@bp.app_context_processor
def labels_context() -> dict:
    return {"CATEGORY_LABELS": CATEGORY_LABELS, "CATEGORY_BLURBS": CATEGORY_BLURBS, "STATUS_LABELS": STATUS_LABELS}


@bp.get("/")
@requires(Access.PUBLIC)
def index():
    events = db.session.scalars(
        select(Event).where(Event.status.in_([EventStatus.OPEN, EventStatus.CLOSED])).order_by(Event.starts_on.desc())
    ).all()
    return render_template("events/index.html", events=events)


@bp.get("/e/<slug>/")
@requires(Access.PUBLIC)
def show(event: Event):
    if event.status in (EventStatus.DRAFT, EventStatus.ARCHIVED) and Access.ORGANISER not in event_roles(current_user, event):
        abort(404)
    return render_template("events/show.html", event=event)


def _event_input(form: EventForm) -> services.EventInput:
    return services.EventInput(
        name=form.name.data.strip(), slug=form.slug.data.strip(), city=form.city.data.strip(),
        country=form.country.data, venue=(form.venue.data or "").strip(), timezone=form.timezone.data,
        starts_on=form.starts_on.data, ends_on=form.ends_on.data, status=EventStatus(form.status.data),
        description=form.description.data or "", name_en=(form.name_en.data or "").strip(),
        description_en=form.description_en.data or "",
    )


def _save_event_form(form: EventForm, save):
    """Validate and save; on a domain error (nothing is stored), attach the message to the field."""
    if not form.validate_on_submit():
        return None
    try:
        return save(_event_input(form))
    except services.EventError as error:
        getattr(form, error.field or "name").errors.append(event_error_message(error))
        return None


@manage_bp.route("/events/new", methods=["GET", "POST"])
@requires(Access.STAFF)
def create():
    form = EventForm()
    event = _save_event_form(form, lambda data: services.create_event(data, actor_id=current_user.id,
                                                                      organiser_id=current_user.id))
    if event is not None:
        flash(_("The edition is created."), "success")
        return redirect(url_for("backoffice.overview", slug=event.slug))
    return render_template("events/edit.html", form=form, event=None), 422 if request.method == "POST" else 200


@manage_bp.route("/e/<slug>/settings", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def settings(event: Event):
    form = EventForm(obj=event)
    if request.method == "GET":
        form.status.data = event.status.value
    saved = _save_event_form(form, lambda data: services.update_event(event, data, actor_id=current_user.id))
    if saved is not None:
        flash(_("The edition is saved."), "success")
        return redirect(url_for("events_manage.settings", slug=saved.slug))
    return render_template("events/edit.html", form=form, event=event), 422 if request.method == "POST" else 200


def _categories_form(event: Event, **kwargs) -> CategoriesForm:
    """One row per category, its cap named after it (so that a refused cap says which one)."""
    form = CategoriesForm(data={"categories": [
        {"requires_approval": c.requires_approval, "is_open": c.is_open, "capacity": c.capacity}
        for c in event.categories]}, **kwargs)
    for category, entry in zip(event.categories, form.categories.entries, strict=False):
        entry.form.capacity.label.text = _("Cap of %(category)s", category=CATEGORY_LABELS[category.code])
    return form


@manage_bp.route("/e/<slug>/categories", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def categories(event: Event):
    form = _categories_form(event)
    if form.is_submitted() and len(form.categories.entries) != len(event.categories):
        # Rows missing or added: the page is out of date, or was not sent by it. Show the saved settings.
        form = _categories_form(event, formdata=None)
        form.form_errors.append(_("The form does not have one row per category: reload the page and try again."))
    elif form.validate_on_submit():
        services.save_categories(event, [
            services.CategorySettings(requires_approval=entry.form.requires_approval.data,
                                      is_open=entry.form.is_open.data, capacity=entry.form.capacity.data)
            for entry in form.categories.entries], actor_id=current_user.id)
        flash(_("The categories are saved."), "success")
        return redirect(url_for("events_manage.categories", slug=event.slug))
    pairs = list(zip(event.categories, form.categories.entries, strict=True))
    return render_template("events/categories.html", event=event, form=form, pairs=pairs), \
        422 if request.method == "POST" else 200


@manage_bp.route("/e/<slug>/themes", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def themes(event: Event):
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            services.add_theme(event, form.code.data, form.name_fr.data, form.name_en.data, actor_id=current_user.id)
        except services.EventError as error:
            getattr(form, error.field or "code").errors.append(event_error_message(error))
        else:
            flash(_("The theme is added."), "success")
            return redirect(url_for("events_manage.themes", slug=event.slug))
    return render_template("events/themes.html", event=event, form=form), 422 if request.method == "POST" else 200


@manage_bp.post("/e/<slug>/themes/<int:theme_id>/delete")
@requires(Access.ORGANISER)
def delete_theme(event: Event, theme_id: int):
    try:
        services.delete_theme(event, theme_id, actor_id=current_user.id)
    except services.EventError:
        abort(404)
    flash(_("The theme is removed."), "success")
    return redirect(url_for("events_manage.themes", slug=event.slug))


@manage_bp.route("/e/<slug>/clone", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def clone(event: Event):
    form = EventForm()
    if request.method == "GET":
        starts_on = services.a_year_later(event.starts_on)
        form.process(data={
            "name": event.name.replace(str(event.starts_on.year), str(starts_on.year)),
            "slug": services.next_edition_slug(event.slug, event.starts_on.year, starts_on.year),
            "city": event.city, "country": event.country, "venue": event.venue, "timezone": event.timezone,
            "starts_on": starts_on, "ends_on": starts_on + (event.ends_on - event.starts_on),
            "status": EventStatus.DRAFT.value, "description": event.description,
            "name_en": event.name_en.replace(str(event.starts_on.year), str(starts_on.year)),
            "description_en": event.description_en,
        })
    clone = _save_event_form(form, lambda data: services.clone_event(event, data, actor_id=current_user.id,
                                                                     organiser_id=current_user.id))
    if clone is not None:
        flash(_("The new edition has the setup and the organising team of %(name)s, without its registrations.",
                name=event.name), "success")
        return redirect(url_for("backoffice.overview", slug=clone.slug))
    return render_template("events/clone.html", form=form, event=event), 422 if request.method == "POST" else 200
