"""The report's pages: the edition's report and its downloads, an organisation's timeline across editions, the
network's outcomes per edition. For the edition's organisers (and platform staff); across editions, each sees
the editions she organises (staff: all), app.report.timeline.visible_editions."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import BadParameter, parse_int
from app.core.sentences import gettext as _
from app.events.models import Event
from app.extensions import db
from app.outcomes.models import OutcomeKind, OutcomeStatus
from app.people.models import Organisation
from app.report import exports, figures, timeline
from app.report.charts import edition_charts, network_chart, timeline_chart
from app.report.labels import kind_label, status_label

bp = Blueprint("report", __name__, url_prefix="/manage/e/<slug>", template_folder="templates")


@bp.context_processor
def _labels() -> dict:
    return {"kind_label": kind_label, "status_label": status_label, "statuses": list(OutcomeStatus),
            "kinds": list(OutcomeKind)}


def _min_officials() -> int:
    """?n=, how many officials a startup met at least: a whole number from 1 to MAX_MIN_OFFICIALS (400 else)."""
    raw = request.args.get("n")
    if raw is None or not raw.strip():
        return figures.DEFAULT_MIN_OFFICIALS
    value = parse_int(raw, low=1, high=figures.MAX_MIN_OFFICIALS)
    if value is None:
        raise BadParameter("n", 1, figures.MAX_MIN_OFFICIALS, label=_("Officials met (n)"))
    return value


@bp.get("/report")
@requires(Access.ORGANISER)
def edition(event: Event):
    report = figures.edition_report(event, _min_officials())
    return render_template("report/edition.html", event=event, report=report, charts=edition_charts(report),
                           max_n=figures.MAX_MIN_OFFICIALS)


@bp.get("/report.<fmt>")
@requires(Access.ORGANISER)
def download(event: Event, fmt: str):
    if fmt not in exports.MIMETYPES:
        abort(404)
    report = figures.edition_report(event, _min_officials())
    body = exports.download(report, fmt, actor_id=current_user.id)
    return Response(body, mimetype=exports.MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-report.{fmt}"'})


@bp.get("/report/network")
@requires(Access.ORGANISER)
def network(event: Event):
    editions = timeline.visible_editions(current_user)
    lines = timeline.network(editions)
    return render_template("report/network.html", event=event, lines=lines, chart=network_chart(lines),
                           organisations=timeline.organisations_seen(editions))


@bp.get("/report/organisations/<int:organisation_id>")
@requires(Access.ORGANISER)
def organisation(event: Event, organisation_id: int):
    found = db.session.get(Organisation, organisation_id)
    if found is None:
        abort(404)
    line = timeline.timeline(found, timeline.visible_editions(current_user))
    if not line.steps:  # nothing of it in the editions she sees
        abort(404)
    return render_template("report/timeline.html", event=event, timeline=line, chart=timeline_chart(line))
