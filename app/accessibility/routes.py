"""The accessibility statement, in French at /accessibilite and in English at /accessibility, and its form to
report a problem.

Each address is bound to its language: the page is in French at one and in English at the other, whatever the
browser asks for. A visitor who chose a language with the switcher is sent to the address of that language, so
the switcher works on this page as on every other.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _

from app.accessibility import services
from app.accessibility.forms import ReportForm
from app.accessibility.grid import load
from app.core.access import Access, requires

bp = Blueprint("accessibility", __name__, template_folder="templates")

#: The statement's endpoint in each language.
ENDPOINTS = {"fr": "accessibility.statement_fr", "en": "accessibility.statement_en"}


def statement_grid():
    return load(current_app.config["ACCESSIBILITY_GRID"])


@bp.route("/accessibilite", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def statement_fr():
    return _statement("fr")


@bp.route("/accessibility", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def statement_en():
    return _statement("en")


def _statement(language: str):
    chosen = session.get("lang")
    if request.method == "GET" and chosen in ENDPOINTS and chosen != language:
        return redirect(url_for(ENDPOINTS[chosen]))
    with force_locale(language):
        form = ReportForm()
        status = 200
        if request.method == "POST":
            status = 422
            if form.validate():
                data = services.ReportInput(email=form.email.data, page=form.page.data, message=form.message.data,
                                            name=form.name.data or "", locale=language)
                try:
                    services.report_problem(data, address=request.remote_addr or "")
                except services.ReportError:
                    status = 429
                    form.message.errors = [*form.message.errors,
                                           _("Too many reports were sent from here in the last hour. Try again "
                                             "later, or write to the organisers.")]
                else:
                    flash(_("Thank you: your message was sent to the organisers. They will answer you by e-mail."),
                          "success")
                    return redirect(url_for(ENDPOINTS[language]))
        other = "en" if language == "fr" else "fr"
        grid = statement_grid()
        return render_template("accessibility/statement.html", grid=grid, rate_text=format_decimal(grid.rate, "0.0"),
                               form=form, language=language, other_language=other,
                               other_endpoint=ENDPOINTS[other]), status
