"""The consortia pages, in the replication blueprint (the menu links to network_replication.consortia): the list,
a consortium's page, creating one, joining and leaving, and its lead city changing its status."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.access import Access, requires
from app.core.params import query_int
from app.extensions import db
from app.network.errors import NetworkError, NotAllowed
from app.network.members.standing import Reader, listed_condition, member_cities_of
from app.network.models import Project
from app.network.replication import consortia, messages
from app.network.replication.routes import bp, refused


def _city_id(form) -> int | None:
    return query_int(form, "city_id", default=0) if form.get("city_id") else None


@bp.get("/network/consortia", endpoint="consortia")
@requires(Access.PUBLIC)
def consortia_list():
    return render_template("network/replication/consortia.html", consortia=consortia.all_consortia(),
                           purposes=messages.PURPOSES, statuses=messages.CONSORTIUM_STATUSES,
                           may_create=bool(member_cities_of(current_user)))


def _render(consortium, error: NetworkError | None = None):
    return render_template(
        "network/replication/consortium.html", consortium=consortium, purposes=messages.PURPOSES,
        statuses=messages.CONSORTIUM_STATUSES, may_lead=consortia.may_lead(current_user, consortium),
        project=consortia.shown_project(current_user, consortium),
        joinable=consortia.joinable_cities(current_user, consortium),
        leavable=consortia.leavable_cities(current_user, consortium),
        error=error, error_text=messages.message(error) if error else None), error.status if error else 200


@bp.get("/network/consortia/<int:consortium_id>")
@requires(Access.PUBLIC)
def consortium(consortium_id: int):
    try:
        return _render(consortia.get(consortium_id))
    except NetworkError as error:
        return refused(error)


@bp.route("/network/consortia/new", methods=["GET", "POST"])
@requires(Access.LOGIN)
def create():
    cities = member_cities_of(current_user)
    if not cities:
        return refused(NotAllowed("not_member_contact"))
    form, error = request.form, None
    if request.method == "POST":
        data = consortia.ConsortiumInput(
            title=form.get("title", ""), description=form.get("description", ""), purpose=form.get("purpose", ""),
            startup_id=query_int(form, "startup_id", default=None), project_id=query_int(form, "project_id",
                                                                                     default=None),
            city_id=_city_id(form))
        try:
            created = consortia.create(current_user, data)
        except NetworkError as refusal:
            error = refusal
        else:
            flash(_("The consortium is created; other member cities may join it."), "success")
            return redirect(url_for("network_replication.consortium", consortium_id=created.id))
    projects = db.session.scalars(select(Project).where(listed_condition(Reader.of(current_user)))
                                  .order_by(Project.title_fr).limit(500)).all()
    return render_template("network/replication/consortium_new.html", cities=cities, form=form,
                           startups=consortia.startups(), projects=projects, purposes=messages.PURPOSES,
                           error=error, error_text=messages.message(error) if error else None), \
        error.status if error else 200


def _change(consortium_id: int, change, done: str):
    try:
        consortia.get(consortium_id)
    except NetworkError as error:
        return refused(error)
    try:
        change()
    except NetworkError as error:
        return _render(consortia.get(consortium_id), error)
    flash(done, "success")
    return redirect(url_for("network_replication.consortium", consortium_id=consortium_id))


@bp.post("/network/consortia/<int:consortium_id>/join")
@requires(Access.LOGIN)
def join(consortium_id: int):
    return _change(consortium_id, lambda: consortia.join(consortium_id, current_user, _city_id(request.form)),
                   _("Your city joined the consortium."))


@bp.post("/network/consortia/<int:consortium_id>/leave")
@requires(Access.LOGIN)
def leave(consortium_id: int):
    return _change(consortium_id, lambda: consortia.leave(consortium_id, current_user, _city_id(request.form)),
                   _("Your city left the consortium."))


@bp.post("/network/consortia/<int:consortium_id>/status")
@requires(Access.LOGIN)
def status(consortium_id: int):
    return _change(consortium_id, lambda: consortia.set_status(consortium_id, current_user,
                                                               request.form.get("status", "")),
                   _("The consortium's status is changed."))
