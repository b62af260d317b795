"""The library's pages: the search, a project's page and its documents, publishing and editing a project."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.core.access import Access, requires
from app.core.params import form_id, form_ids
from app.core.sentences import gettext as _
from app.extensions import db
from app.network.errors import NetworkError
from app.network.library import finder, partners, services, suggest
from app.network.library.messages import FIELD_IDS, message
from app.network.members.standing import POPULATION_BANDS, Reader, may_see, member_cities_of
from app.network.models import (Agreement, BudgetBand, Project, ProjectDocument, ProjectStatus,
                                Visibility)
from app.outcomes.forms import KIND_LABELS

bp = Blueprint("network_library", __name__, url_prefix="/network/projects")

TEXT_FIELDS = ("title_fr", "title_en", "summary_fr", "summary_en", "status", "started_on", "ended_on",
               "budget_band", "funding", "results", "lessons_worked", "lessons_failed", "lessons_differently",
               "visibility")


def choices() -> dict:
    """The lists the pages choose from, in the enums' order."""
    return {"statuses": list(ProjectStatus), "budget_bands": list(BudgetBand), "visibilities": list(Visibility),
            "bands": [code for code, _low, _high in POPULATION_BANDS]}


@bp.get("/")
@requires(Access.PUBLIC)
def search():
    try:
        query = finder.parse_query(request.args)
    except NetworkError as error:
        abort(400, message(error))
    results = finder.run(query, Reader.of(current_user))
    return render_template("network/library/search.html", results=results, query=query, themes=finder.themes(),
                           countries=finder.countries(), excerpt=finder.excerpt,
                           may_publish=bool(services.cities_for(current_user)), **choices())


def _visible(project_id: int) -> Project:
    project = db.session.get(Project, project_id)
    if project is None or not may_see(Reader.of(current_user), project):
        abort(404)
    return project


@bp.get("/<int:project_id>")
@requires(Access.PUBLIC)
def project(project_id: int):
    shown = _visible(project_id)
    reader = Reader.of(current_user)
    agreed = [p for p in shown.partners if p.agreement is Agreement.AGREED]
    outcome = shown.outcome
    # The outcome's startup is named only when it agreed to be a partner of the project.
    outcome_startup = next((p.organisation for p in agreed if outcome is not None
                            and p.organisation_id == outcome.startup_id), None)
    return render_template("network/library/project.html", project=shown, reader=reader,
                           partners=agreed, outcome_startup=outcome_startup,
                           may_edit=services.may_publish(current_user, shown.city), outcome_kinds=KIND_LABELS,
                           **choices())


@bp.get("/<int:project_id>/documents/<int:document_id>")
@requires(Access.PUBLIC)
def document(project_id: int, document_id: int):
    _visible(project_id)
    found = db.session.scalar(select(ProjectDocument).options(undefer(ProjectDocument.content))
                              .where(ProjectDocument.id == document_id, ProjectDocument.project_id == project_id))
    if found is None:
        abort(404)
    return send_file(BytesIO(found.content), mimetype="application/pdf", as_attachment=True,
                     download_name=partners.safe_filename(found.filename), max_age=0)


def _input(form) -> services.ProjectInput:
    """The form as the service takes it (a number that is not one is a 400 naming its field)."""
    return services.ProjectInput(**{name: form.get(name, "") for name in TEXT_FIELDS},
                                 theme_ids=form_ids(form, "theme_ids"), outcome_id=form_id(form, "outcome_id"),
                                 contact_id=form_id(form, "contact_id"), city_id=form_id(form, "city_id"))


def _form_page(project: Project | None, data: services.ProjectInput, error: NetworkError | None = None,
               status: int = 200):
    cities = services.cities_for(current_user)
    city = project.city if project else (next((c for c in cities if c.id == data.city_id), None)
                                         or (cities[0] if len(cities) == 1 else None))
    errors = []
    if error is not None:
        target = FIELD_IDS.get(error.field, error.field)
        errors.append((target, "", message(error)))
    return render_template(
        "network/library/edit.html", project=project, data=data, cities=cities, city=city,
        error=error, errors=errors, themes=finder.themes(), outcome_kinds=KIND_LABELS,
        contacts=[p for p in (city.official_contact, city.staff_contact) if p is not None] if city else [],
        outcomes=services.outcomes_of(city) if city else [], **choices()), status


@bp.route("/new", methods=["GET", "POST"])
@requires(Access.LOGIN)
def new():
    if not services.cities_for(current_user):
        abort(403, message(NetworkError("not_a_member_contact")))
    if request.method == "GET":
        cities = member_cities_of(current_user)
        data = services.ProjectInput(contact_id=current_user.id if cities else None)
        return _form_page(None, data)
    data = _input(request.form)
    try:
        created = services.create_project(data, actor=current_user)
    except NetworkError as error:
        if error.status in (403, 404):
            abort(error.status, message(error))
        return _form_page(None, data, error, error.status)
    flash(_("The project is saved. Add its partners and documents below."), "success")
    return redirect(url_for(".edit", project_id=created.id))


def _editable(project_id: int) -> Project:
    try:
        return services.editable(project_id, current_user)
    except NetworkError as error:
        abort(error.status, message(error))


def _data_of(project: Project) -> services.ProjectInput:
    values = {name: getattr(project, name) for name in TEXT_FIELDS}
    for name in ("status", "budget_band", "visibility"):
        values[name] = values[name].value
    for name in ("started_on", "ended_on"):
        values[name] = values[name].isoformat() if values[name] else ""
    return services.ProjectInput(**{k: v or "" for k, v in values.items()},
                                 theme_ids=[t.id for t in project.themes], outcome_id=project.outcome_id,
                                 contact_id=project.contact_id, city_id=project.city_id)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@requires(Access.LOGIN)
def edit(project_id: int):
    project = _editable(project_id)
    if request.method == "GET":
        return _form_page(project, _data_of(project))
    data = _input(request.form)
    try:
        services.update_project(project, data, actor=current_user)
    except NetworkError as error:
        return _form_page(project, data, error, error.status)
    flash(_("The project is saved."), "success")
    return redirect(url_for(".project", project_id=project_id))


@bp.post("/<int:project_id>/delete")
@requires(Access.LOGIN)
def delete(project_id: int):
    project = _editable(project_id)
    try:
        services.delete_project(project, actor=current_user, confirmed=request.form.get("confirm") == "yes")
    except NetworkError as error:
        return _form_page(project, _data_of(project), error, error.status)
    flash(_("The project is deleted."), "success")
    return redirect(url_for(".search"))


@bp.post("/<int:project_id>/partners")
@requires(Access.LOGIN)
def add_partner(project_id: int):
    project = _editable(project_id)
    try:
        partner, told = partners.add_partner(project, request.form.get("organisation", ""),
                                             request.form.get("role", ""), actor=current_user)
    except NetworkError as error:
        return _form_page(project, _data_of(project), error, error.status)
    if partner.agreement is Agreement.AGREED:
        flash(_("%(name)s is named in the project.", name=partner.organisation.name), "success")
    elif told:
        flash(_("%(name)s is asked to agree: its people were told by e-mail. It is shown once one of them agrees.",
                name=partner.organisation.name), "success")
    else:
        flash(_("%(name)s is asked to agree, but none of its people has an e-mail address here: tell them to sign "
                "in and answer on their startup's page. It is shown once one of them agrees.",
                name=partner.organisation.name), "warning")
    return redirect(url_for(".edit", project_id=project_id, _anchor="partners"))


@bp.post("/<int:project_id>/partners/<int:partner_id>/remove")
@requires(Access.LOGIN)
def remove_partner(project_id: int, partner_id: int):
    project = _editable(project_id)
    try:
        partners.remove_partner(project, partner_id, actor=current_user)
    except NetworkError as error:
        abort(error.status, message(error))
    flash(_("The partner is removed from the project."), "success")
    return redirect(url_for(".edit", project_id=project_id, _anchor="partners"))


@bp.post("/<int:project_id>/documents")
@requires(Access.LOGIN)
def add_document(project_id: int):
    project = _editable(project_id)
    upload = request.files.get("document")
    content = upload.stream.read(partners.MAX_DOCUMENT + 1) if upload else b""
    if upload:
        upload.close()  # a large upload is spooled to a temporary file: let it go now
    try:
        partners.add_document(project, upload.filename if upload else "",
                              content if len(content) <= partners.MAX_DOCUMENT else None, actor=current_user)
    except NetworkError as error:
        return _form_page(project, _data_of(project), error, error.status)
    flash(_("The document is added."), "success")
    return redirect(url_for(".edit", project_id=project_id, _anchor="documents"))


@bp.post("/<int:project_id>/documents/<int:document_id>/delete")
@requires(Access.LOGIN)
def delete_document(project_id: int, document_id: int):
    project = _editable(project_id)
    try:
        partners.delete_document(project, document_id, actor=current_user)
    except NetworkError as error:
        abort(error.status, message(error))
    flash(_("The document is deleted."), "success")
    return redirect(url_for(".edit", project_id=project_id, _anchor="documents"))


@bp.get("/suggested")
@requires(Access.LOGIN)
def suggested():
    """Cities like mine, for one of the reader's member cities (an organiser chooses any city)."""
    reader = Reader.of(current_user)
    city_id = request.args.get("city", type=int)
    cities = services.cities_for(current_user)
    city = next((c for c in cities if c.id == city_id), None) if city_id else (
        cities[0] if len(cities) == 1 or (cities and not reader.is_organiser) else None)
    if city_id and city is None:
        abort(403, message(NetworkError("not_your_city_page")))
    found = suggest.suggestions(city, reader) if city else []
    return render_template("network/library/suggested.html", city=city, cities=cities, suggestions=found)
