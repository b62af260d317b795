"""The page of a startup's people: the projects that name their startup, to agree to be shown in them or to
decline, and what the rooms above add (the demand for the startup across cities)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.access import Access, requires
from app.core.sentences import gettext as _
from app.extensions import db
from app.network.errors import NetworkError
from app.network.library import partners
from app.network.library.messages import message
from app.network.members.standing import Reader, may_see
from app.network.models import Agreement, Project, ProjectPartner

bp = Blueprint("network_startup", __name__, url_prefix="/network/startup")


@bp.get("/")
@requires(Access.LOGIN)
def page():
    organisations = partners.organisations_of(current_user)
    named = {o.id: [] for o in organisations}
    if named:
        for partner in db.session.scalars(
                select(ProjectPartner).where(ProjectPartner.organisation_id.in_(named))
                .options(joinedload(ProjectPartner.project).joinedload(Project.city))
                .order_by(ProjectPartner.id.desc())):
            named[partner.organisation_id].append(partner)
    return render_template("network/library/startup.html", organisations=organisations, named=named,
                           reader=Reader.of(current_user), Agreement=Agreement,
                           may_see=may_see)


@bp.post("/partners/<int:partner_id>")
@requires(Access.LOGIN)
def answer(partner_id: int):
    try:
        partner = partners.answer(partner_id, request.form.get("answer", ""), actor=current_user)
    except NetworkError as error:
        abort(error.status, message(error))
    if partner.agreement is Agreement.AGREED:
        flash(_("%(name)s is now shown in the project “%(title)s”.", name=partner.organisation.name,
                title=partner.project.title_fr), "success")
    else:
        flash(_("%(name)s will not be shown in the project “%(title)s”.", name=partner.organisation.name,
                title=partner.project.title_fr), "success")
    return redirect(url_for(".page"))
