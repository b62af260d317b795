"""The replication pages: asking to replicate a project, a replication's page with its answers, stages and the
contact details the sides may see, and a person's inbox. The consortia pages (consortia_routes.py) and the
digest's unsubscribe page share this blueprint, whose rules are absolute (/network/replications/...,
/network/projects/<id>/replicate, /network/consortia)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import query_int
from app.network.errors import NetworkError, NotAllowed, NotFound
from app.network.members.standing import Reader, is_network_organiser, may_see
from app.network.replication import messages, queries, services, sides

bp = Blueprint("network_replication", __name__, template_folder="templates")


def refused(error: NetworkError):
    """A page that says why, with the refusal's status."""
    return render_template("network/replication/refused.html", message=messages.message(error)), error.status


def _form_city_id() -> int | None:
    """The city chosen, None when none is (the first one), 0 when the value is not a city's id (refused)."""
    return query_int(request.form, "city_id", default=0) if request.form.get("city_id") else None


@bp.route("/network/projects/<int:project_id>/replicate", methods=["GET", "POST"])
@requires(Access.LOGIN)
def ask(project_id: int):
    try:
        project = services.get_project(project_id, current_user)
    except NetworkError as error:
        return refused(error)
    cities = services.asking_cities(current_user, project)
    if not cities:
        return refused(NotAllowed("not_member_contact"))
    error = None
    if request.method == "POST":
        try:
            replication = services.ask(project_id, current_user, request.form.get("message", ""),
                                       city_id=_form_city_id())
        except (NotFound, NotAllowed) as refusal:
            return refused(refusal)
        except NetworkError as refusal:
            error = refusal
        else:
            flash(_("Your request was sent to the project's city."), "success")
            return redirect(url_for("network_replication.page", replication_id=replication.id))
    return render_template("network/replication/ask.html", project=project, cities=cities,
                           existing=services.existing_request(project, current_user),
                           error=error, error_text=messages.message(error) if error else None,
                           message=request.form.get("message", "")), error.status if error else 200


@bp.get("/network/replications/")
@requires(Access.LOGIN)
def inbox():
    return render_template("network/replication/inbox.html", box=queries.inbox(current_user),
                           figures=queries.figures() if is_network_organiser(current_user) else None,
                           states=messages.STATES, state_of=queries.state, shown=_shown())


def _shown():
    """Whether the reader may see a project's title (a lapsed contact, a startup's people may not see every one)."""
    reader = Reader.of(current_user)
    return lambda project: may_see(reader, project)


def _render_page(replication, error: NetworkError | None = None):
    return render_template(
        "network/replication/page.html", replication=replication, state=queries.state(replication),
        contacts=sides.revealed_contacts(current_user, replication), states=messages.STATES, steps=messages.STEPS,
        may_answer=sides.may_answer_for_city(current_user, replication),
        may_answer_startup=sides.is_startup_side(current_user, replication),
        may_move=sides.may_act_for_asking_city(current_user, replication), stages=services.STAGES, shown=_shown(),
        error=error, error_text=messages.message(error) if error else None), error.status if error else 200


@bp.get("/network/replications/<int:replication_id>")
@requires(Access.LOGIN)
def page(replication_id: int):
    try:
        replication = services.get_replication(replication_id, current_user)
    except NetworkError as error:
        return refused(error)
    return _render_page(replication)


def _change(replication_id: int, change):
    try:
        replication = services.get_replication(replication_id, current_user)
    except NetworkError as error:
        return refused(error)
    try:
        change()
    except NetworkError as error:
        return _render_page(services.get_replication(replication_id, current_user), error)
    flash(_("Saved; the other side is told by e-mail."), "success")
    return redirect(url_for("network_replication.page", replication_id=replication.id))


@bp.post("/network/replications/<int:replication_id>/answer")
@requires(Access.LOGIN)
def answer(replication_id: int):
    form = request.form
    return _change(replication_id, lambda: services.decide(replication_id, current_user, form.get("decision", ""),
                                                           form.get("reason", "")))


@bp.post("/network/replications/<int:replication_id>/stage")
@requires(Access.LOGIN)
def stage(replication_id: int):
    form = request.form
    return _change(replication_id, lambda: services.move(replication_id, current_user, form.get("stage", ""),
                                                         form.get("note", "")))
