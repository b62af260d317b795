"""The member cities' pages: the public directory, a city's page, its edit page for its contacts and the network
organisers, and "my city" for a signed-in contact."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import query_int
from app.extensions import db
from app.network.errors import NetworkError, NotAllowed
from app.network.members import directory as queries
from app.network.members import services
from app.network.members.forms import PLACE_KIND_LABELS, CityForm
from app.network.members.labels import BAND_LABELS, ROLE_LABELS, STATUS_LABELS
from app.network.members.messages import message
from app.network.members.standing import (POPULATION_BANDS, Reader, cities_of, may_edit_city, population_band,
                                          standing)
from app.network.models import NetworkCity

bp = Blueprint("network_cities", __name__, template_folder="templates")


def _city(city_id: int) -> NetworkCity:
    city = db.session.get(NetworkCity, city_id)
    if city is None:
        abort(404)
    return city


def _context() -> dict:
    return {"standing": standing, "population_band": population_band, "band_labels": BAND_LABELS,
            "status_labels": STATUS_LABELS, "place_labels": PLACE_KIND_LABELS,
            "role_labels": ROLE_LABELS}


@bp.get("/network/cities/")
@requires(Access.PUBLIC)
def directory():
    reader = Reader.of(current_user)
    filters = queries.Filters.of(request.args)
    page = query_int(request.args, "page", default=1, high=100_000)
    cities, total = queries.directory(filters, reader, page)
    pages = max(1, -(-total // queries.PER_PAGE))
    return render_template("network/cities/directory.html", cities=cities, total=total, filters=filters,
                           page=page, pages=pages, countries=queries.countries(reader), themes=queries.themes(),
                           bands=[code for code, _low, _high in POPULATION_BANDS], reader=reader, **_context())


@bp.get("/network/cities/<int:city_id>")
@requires(Access.PUBLIC)
def page(city_id: int):
    city = _city(city_id)
    reader = Reader.of(current_user)
    return render_template("network/cities/page.html", city=city, reader=reader,
                           brought_in=queries.brought_in(city), editions=queries.editions(city),
                           contacts=queries.contacts(city, reader),
                           may_edit=may_edit_city(current_user, city), **_context())


@bp.route("/network/cities/<int:city_id>/edit", methods=["GET", "POST"])
@requires(Access.LOGIN)
def edit(city_id: int):
    city = _city(city_id)
    try:
        services.check_city_edit(current_user, city)
    except NotAllowed as error:
        abort(403, message(error))
    themes = queries.themes()
    form = CityForm.of(city, themes, formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.edit_city(city, form.to_input(), actor=current_user)
            except NetworkError as error:
                status = _show_refusal(form, error)
            else:
                flash(_("The city's page is saved."), "success")
                return redirect(url_for("network_cities.page", city_id=city.id))
    return render_template("network/cities/edit.html", city=city, form=form, **_context()), status


def _show_refusal(form, error: NetworkError) -> int:
    """The refusal next to its field (a place's field included), else atop the form."""
    target = form._fields.get(error.field or "")
    if target is None:
        target = next((sub for row in form.places.entries for sub in row.form if sub.id == error.field), None)
    if target is not None and target.name != "csrf_token":
        target.errors = [*target.errors, message(error)]
    else:
        form.form_errors.append(message(error))
    return error.status


@bp.get("/network/my-city")
@requires(Access.LOGIN)
def mine():
    cities = cities_of(current_user)
    return render_template("network/cities/mine.html", cities=cities, reader=Reader.of(current_user),
                           may_edit=may_edit_city, **_context())
