"""The digest's unsubscribe page: its signed link opens a page that asks, then stores the opt-out."""
from __future__ import annotations

from flask import render_template, request

from app.core.access import Access, requires
from app.network.errors import NetworkError
from app.network.replication import digest
from app.network.replication.routes import bp, refused


@bp.route("/network/digest/unsubscribe/<token>", methods=["GET", "POST"])
@requires(Access.PUBLIC)
def unsubscribe(token: str):
    try:
        if request.method == "POST":
            person = digest.opt_out(token)
            return render_template("network/replication/unsubscribe.html", token=token, person=person, done=True)
        person = digest.person_of(token)
    except NetworkError as error:
        return refused(error)
    return render_template("network/replication/unsubscribe.html", token=token, person=person,
                           done=digest.is_opted_out(person))
