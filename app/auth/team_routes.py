"""The organisers of an edition: who they are, adding a colleague, removing one."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth import services
from app.core.access import Access, requires
from app.auth.models import RoleName
from app.events.models import Event
from app.extensions import db
from app.mail.services import send_mail
from app.people.models import Person

bp = Blueprint("team", __name__, url_prefix="/manage/e/<slug>/team", template_folder="templates")


@bp.route("/", methods=["GET", "POST"])
@requires(Access.ORGANISER)
def index(event: Event):
    errors: dict[str, str] = {}
    form = {"email": request.form.get("email", "").strip(), "first_name": request.form.get("first_name", "").strip(),
            "last_name": request.form.get("last_name", "").strip()}
    if request.method == "POST":
        try:
            email = services.normalise_email(validate_email(form["email"], check_deliverability=False).normalized)
        except EmailNotValidError:
            errors["email"] = _("Give a valid e-mail address.")
        else:
            person = db.session.scalar(select(Person).where(Person.email == email))
            if person is None and not (form["first_name"] and form["last_name"]):
                errors["first_name"] = _("This person has no account yet: give their first and last name.")
            elif person is not None and person in services.organisers_of(event.id):
                errors["email"] = _("%(email)s already organises this edition.", email=email)
            else:
                if person is None:
                    person = Person(email=email, first_name=form["first_name"][:100], last_name=form["last_name"][:100])
                    db.session.add(person)
                    db.session.flush()
                services.grant_role(person, event.id, RoleName.ORGANISER, actor_id=current_user.id)
                send_mail(person.email, template="organiser_invitation", locale=person.locale, kind="organiser_invitation",
                          event_id=event.id, event=event, person=person, inviter=current_user,
                          token=services.make_reset_token(person) if not person.password_hash else None)
                db.session.commit()
                flash(_("%(name)s now organises this edition; we have sent them an e-mail.", name=person.full_name),
                      "success")
                return redirect(url_for("team.index", slug=event.slug))
    return render_template("auth/team.html", event=event, organisers=services.organisers_of(event.id),
                           errors=errors, form=form), 422 if errors else 200


@bp.post("/<int:person_id>/remove")
@requires(Access.ORGANISER)
def remove(event: Event, person_id: int):
    person = db.session.get(Person, person_id)
    if person is None or person not in services.organisers_of(event.id):
        abort(404)
    if person.id == current_user.id:
        abort(400, _("You cannot remove yourself; ask another organiser."))
    services.revoke_role(person, event.id, RoleName.ORGANISER, actor_id=current_user.id)
    db.session.commit()
    flash(_("%(name)s no longer organises this edition.", name=person.full_name), "success")
    return redirect(url_for("team.index", slug=event.slug))
