"""Log in and out, password reset and change, language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import services, tasks
from app.auth.landing import landing_page
from app.core.access import Access, requires
from app.core.converters import ID_MAX
from app.core.params import parse_int
from app.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from app.core.sentences import gettext as _
from app.extensions import db, login_manager
from app.people.models import Person

bp = Blueprint("auth", __name__, template_folder="templates")

login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"  # "strong" logs phones out when they change network


@login_manager.user_loader
def load_user(session_id: str) -> Person | None:
    raw_id, _, token = session_id.partition(":")
    person_id = parse_int(raw_id, low=1, high=ID_MAX)
    if person_id is None:
        return None
    person = db.session.get(Person, person_id)
    if person is None or not token or person.session_token != token or not person.is_enabled:
        return None  # ended by logout elsewhere, a password change or a disabled account
    return person


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return {"error": _("Please log in."), "status": 401}, 401
    flash(_("Please log in to open this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    # A backslash is read as a slash by browsers: "/\\evil.example" would leave the site.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@bp.get("/lang/<code>")
@requires(Access.PUBLIC)
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        services.set_locale(current_user, code)
    return redirect(safe_next(request.args.get("next"), url_for("events.index")))


@bp.route("/login", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            person = services.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except services.AuthError as error:
            if error.code == "throttled":
                status = 429
                form.password.errors.append(
                    _("Too many failed attempts. Try again in %(minutes)d minutes or reset your password.",
                      minutes=error.params["minutes"]))
            elif error.code == "disabled":
                status = 403
                form.email.errors.append(_("This account is disabled."))
            else:
                status = 401
                form.password.errors.append(_("Wrong e-mail or password."))
        else:
            login_user(person, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), landing_page(person, url_for("events.index"))))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@requires(Access.LOGIN)
def logout():
    services.log_out(current_user)
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("events.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        tasks.request_reset_link(form.email.data)
        # Same answer and same work either way (the worker looks the address up): nothing tells who has an account.
        flash(_("If an account exists for this address, we have sent it a link to choose a password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def reset_password(token: str):
    try:
        person = services.person_from_reset_token(token)
    except services.AuthError as error:
        message = _("This link has expired. Ask for a new one.") if error.code == "expired" else \
            _("This link is not valid any more. Ask for a new one.")
        flash(message, "error")
        return redirect(url_for("auth.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        services.choose_password(person, form.password.data)
        logout_user()
        flash(_("Your password is set. You can log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, person=person), 422 if request.method == "POST" else 200


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Access.LOGIN)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except services.AuthError as error:
            if error.code != "wrong_password":
                raise
            form.current.errors.append(_("The current password is wrong."))
        else:
            login_user(current_user)  # this session goes on with the new token; all others end
            flash(_("Your password has been changed. Other sessions were logged out."), "success")
            return redirect(url_for("registrations.mine"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status
