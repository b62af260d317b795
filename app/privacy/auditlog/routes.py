"""The audit pages: an edition's rows for its organisers (`/manage/e/<slug>/audit`), the platform's rows (those of
no edition: people merged, the network, old webhook deliveries erased...) for platform staff (`/manage/audit`);
each filtered by person, action and days, a page at a time, and exported as CSV."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from app.core.access import Access, requires
from app.core.params import query_int
from app.events.models import Event
from app.privacy.auditlog import exporting, queries

bp = Blueprint("auditlog", __name__, url_prefix="/manage", template_folder="templates")


def _page(event: Event | None, filters: queries.AuditFilters, errors: dict[str, str]):
    found = queries.audit_page(event, filters, query_int(request.args, "page", default=1, high=queries.MAX_PAGE))
    scope = {"slug": event.slug} if event is not None else {}
    return render_template("auditlog/list.html", event=event, found=found, filters=filters, errors=errors,
                           scope=scope, link_args={**scope, **filters.as_args()},
                           actions=queries.actions_of(event), zone=queries.zone_of(event),
                           layout="manage_layout.html" if event is not None else "base.html"), \
        400 if errors else 200


def _csv(event: Event | None, name: str):
    filters, errors = queries.filters_from(request.args)
    if errors:  # nothing is exported (nor audited) on days that could not be read
        return _page(event, filters, errors)
    body, _count = exporting.export_csv(event, filters, actor_id=current_user.id)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/e/<slug>/audit")
@requires(Access.ORGANISER)
def edition(event: Event):
    return _page(event, *queries.filters_from(request.args))


@bp.get("/e/<slug>/audit.csv")
@requires(Access.ORGANISER)
def edition_csv(event: Event):
    return _csv(event, f"audit-{event.slug}.csv")


@bp.get("/audit")
@requires(Access.STAFF)
def platform():
    return _page(None, *queries.filters_from(request.args))


@bp.get("/audit.csv")
@requires(Access.STAFF)
def platform_csv():
    return _csv(None, "audit-platform.csv")
