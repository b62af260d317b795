"""The team of an edition (organisers and door staff): who they are, adding a colleague, removing one."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import RoleName
from app.auth.services import holders_of, organisers_of
from app.core.access import Access, requires
from app.events import team
from app.events.models import Event
from app.extensions import db
from app.people.models import Person

bp = Blueprint("team", __name__, url_prefix="/manage/e/<slug>/team", template_folder="templates")


def team_error_message(error: team.TeamError) -> str:
    texts = {
        "email_invalid": lambda: _("Give a valid e-mail address."),
        "name_required": lambda: _("This person has no account yet: give their first and last name."),
        "already_organiser": lambda: _("%(email)s already organises this edition.", email=error.params["email"]),
        "already_door_staff": lambda: _("%(email)s already checks people in at the door.", email=error.params["email"]),
        "cannot_remove_self": lambda: _("You cannot remove yourself; ask another organiser."),
        "unknown_role": lambda: _("Choose organiser or door staff."),
    }
    text = texts.get(error.code)
    return text() if text else error.code


@bp.route("/", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def index(event: Event):
    errors: dict[str, str] = {}
    form = {"email": request.form.get("email", "").strip(), "first_name": request.form.get("first_name", "").strip(),
            "last_name": request.form.get("last_name", "").strip(),
            "role": request.form.get("role", RoleName.ORGANISER.value)}
    if request.method == "POST":
        try:
            role = _team_role(form["role"])
            person = team.add_organiser(event, email=form["email"], first_name=form["first_name"],
                                        last_name=form["last_name"], inviter=current_user, role=role)
        except team.TeamError as error:
            errors[error.field] = team_error_message(error)
        else:
            flash(_("%(name)s now organises this edition; we have sent them an e-mail.", name=person.full_name)
                  if role is RoleName.ORGANISER else
                  _("%(name)s now checks people in at the door; we have sent them an e-mail.", name=person.full_name),
                  "success")
            return redirect(url_for("team.index", slug=event.slug))
    return render_template("events/team.html", event=event, organisers=organisers_of(event.id),
                           door_staff=holders_of(event.id, RoleName.DOOR_STAFF),
                           errors=errors, form=form), 422 if errors else 200


def _team_role(value: str) -> RoleName:
    """The role a team form names: organiser when the field is absent (the form of old pages)."""
    try:
        role = RoleName(value or RoleName.ORGANISER.value)
    except ValueError:
        role = None
    if role not in team.TEAM_ROLES:
        raise team.TeamError("unknown_role", "role")
    return role


@bp.post("/<int:person_id>/remove")
@requires(Access.ORGANISER)
def remove(event: Event, person_id: int):
    try:
        role = _team_role(request.form.get("role", ""))
    except team.TeamError as error:
        abort(400, team_error_message(error))
    person = db.session.get(Person, person_id)
    if person is None or person not in holders_of(event.id, role):
        abort(404)
    try:
        team.remove_organiser(event, person, actor_id=current_user.id, role=role)
    except team.TeamError as error:
        abort(400, team_error_message(error))
    flash(_("%(name)s no longer organises this edition.", name=person.full_name) if role is RoleName.ORGANISER
          else _("%(name)s no longer checks people in at the door.", name=person.full_name), "success")
    return redirect(url_for("team.index", slug=event.slug))
