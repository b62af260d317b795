"""The network organisers' pages: the members per year (admit, renew, lapse), a new city, a city's contacts and
sponsor, the network's themes, and (platform staff) the network organisers."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.core.access import Access, requires
from app.core.params import query_int
from app.extensions import db
from app.network.errors import NetworkError
from app.network.members import directory as queries
from app.network.members import manage
from app.network.members.forms import (ContactsForm, MembershipForm, NewCityForm, OrganiserForm, ThemeForm,
                                       country_choices, sponsor_choices)
from app.network.members.labels import STATUS_LABELS
from app.network.members.messages import message
from app.network.members.standing import current_year
from app.network.models import MembershipStatus, NetworkCity, NetworkOrganiser, NetworkTheme
from app.people.models import Organisation

bp = Blueprint("network_manage", __name__, url_prefix="/network/manage", template_folder="templates")

STATUS_FILTERS = ("member", "candidate", "lapsed", "none")


def _city(city_id: int) -> NetworkCity:
    city = db.session.get(NetworkCity, city_id)
    if city is None:
        abort(404)
    return city


def _refuse(form, error: NetworkError) -> int:
    field = form._fields.get(error.field or "")
    if field is not None and field.name != "csrf_token":
        field.errors = [*field.errors, message(error)]
    else:
        form.form_errors.append(message(error))
    return error.status


def _network_cities():
    return db.session.scalars(select(NetworkCity).join(NetworkCity.organisation)
                              .options(contains_eager(NetworkCity.organisation))
                              .order_by(Organisation.search_key)).all()


@bp.get("/")
@requires(Access.NETWORK)
def members():
    year = query_int(request.args, "year", default=current_year(), low=2000, high=2100)
    status = request.args.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    return render_template("network/manage/members.html", rows=queries.memberships(year, status), year=year,
                           status=status, statuses=STATUS_FILTERS, status_labels=STATUS_LABELS,
                           this_year=current_year(), form=MembershipForm(), Status=MembershipStatus)


@bp.post("/cities/<int:city_id>/membership")
@requires(Access.NETWORK)
def membership(city_id: int):
    city = _city(city_id)
    form = MembershipForm()
    if not form.validate_on_submit():
        errors = [f"{form[name].label.text}: {error}" for name, errs in form.errors.items() for error in errs]
        abort(422, " ".join(errors) or _("Action: choose admit, renew or lapse."))
    try:
        done = manage.change_membership(city, form.action.data, form.year.data, actor=current_user)
    except NetworkError as error:
        abort(error.status, message(error))
    flash(_("%(city)s: %(status)s in %(year)s.", city=city.name, status=STATUS_LABELS[done.status],
            year=done.year), "success")
    return redirect(url_for("network_manage.members", year=done.year))


@bp.route("/cities/new", methods=["GET", "POST"])
@requires(Access.NETWORK)
def add_city():
    form = NewCityForm()
    q = (request.args.get("q") if request.method == "GET" else form.q.data) or ""
    form.q.data = q[:200]
    matches = queries.organisation_matches(q[:200])
    form.organisation_id.choices = [(o.id, o.name) for o in matches]
    form.country.choices = country_choices()
    form.sponsor_id.choices = sponsor_choices(_network_cities())
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                city = manage.add_city(form.to_input(), actor=current_user)
            except NetworkError as error:
                status = _refuse(form, error)
            else:
                flash(_("%(city)s is in the network as a candidate.", city=city.name), "success")
                return redirect(url_for("network_manage.members"))
    return render_template("network/manage/add_city.html", form=form, q=q, matches=matches), status


@bp.route("/cities/<int:city_id>", methods=["GET", "POST"])
@requires(Access.NETWORK)
def city(city_id: int):
    city = _city(city_id)
    data = {"official_email": city.official_contact.email if city.official_contact else "",
            "staff_email": city.staff_contact.email if city.staff_contact else "", "sponsor_id": city.sponsor_id}
    form = ContactsForm() if request.method == "POST" else ContactsForm(data=data)
    form.sponsor_id.choices = sponsor_choices(c for c in _network_cities() if c is not city)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                manage.change_contacts(city, official_email=form.official_email.data or "",
                                       staff_email=form.staff_email.data or "", sponsor_id=form.sponsor_id.data,
                                       actor=current_user)
            except NetworkError as error:
                status = _refuse(form, error)
            else:
                flash(_("The city's contacts are saved."), "success")
                return redirect(url_for("network_manage.city", city_id=city.id))
    return render_template("network/manage/city.html", city=city, form=form), status


@bp.route("/themes", methods=["GET", "POST"])
@requires(Access.NETWORK)
def themes():
    form = ThemeForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                manage.save_theme(form.theme_id_value, code=form.code.data, name_fr=form.name_fr.data,
                                  name_en=form.name_en.data, actor=current_user)
            except NetworkError as error:
                status = _refuse(form, error)
            else:
                flash(_("The theme is saved."), "success")
                return redirect(url_for("network_manage.themes"))
    listed = db.session.scalars(select(NetworkTheme).order_by(NetworkTheme.position, NetworkTheme.id)).all()
    edited = form.theme_id_value if request.method == "POST" else None
    return render_template("network/manage/themes.html", form=form, themes=listed, edited=edited), status


@bp.route("/organisers", methods=["GET", "POST"])
@requires(Access.STAFF)
def organisers():
    form = OrganiserForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                manage.grant_organiser(form.email.data, actor=current_user)
            except NetworkError as error:
                status = _refuse(form, error)
            else:
                flash(_("The person is a network organiser."), "success")
                return redirect(url_for("network_manage.organisers"))
    listed = db.session.scalars(select(NetworkOrganiser).order_by(NetworkOrganiser.granted_at)).all()
    return render_template("network/manage/organisers.html", form=form, organisers=listed), status


@bp.post("/organisers/revoke")
@requires(Access.STAFF)
def revoke_organiser():
    person_id = query_int(request.form, "person_id", default=None)
    if person_id is None:
        abort(422, _("Network organiser: choose the person to remove."))
    try:
        manage.revoke_organiser(person_id, actor=current_user)
    except NetworkError as error:
        abort(error.status, message(error))
    flash(_("The person is no longer a network organiser."), "success")
    return redirect(url_for("network_manage.organisers"))
