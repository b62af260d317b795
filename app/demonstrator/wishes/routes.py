"""Who wants to meet whom: the attendees' wish pages and the organiser's wishes and scores
(the visitors' availability is in availability_routes.py)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import Access, requires
from app.core.domain import DomainError
from app.core.params import query_int
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.wishes import board, heatmap, services
from app.demonstrator.wishes.suggestions import wish_suggestions
from app.demonstrator.wishes.models import WishKind
from app.events.models import Event, Theme
from app.extensions import db
from app.registrations.models import Registration
from app.registrations.queries import active_registration

bp = Blueprint("wishes", __name__, url_prefix="/e/<slug>/demonstrator", template_folder="templates")
manage_bp = Blueprint("wishes_manage", __name__, url_prefix="/manage/e/<slug>/demonstrator",
                      template_folder="templates")

KINDS = {"want": WishKind.WANT, "no": WishKind.NO, "clear": None}


def error_message(error: DomainError) -> str:
    return {
        "unknown_registration": _("This person is not registered for this edition."),
        "wish_sides": _("A wish goes from an official to a startup, or from a startup to an official."),
        "one_visitor": _("Choose one official or one delegation."),
        "unknown_change": _("This change no longer exists."),
        "ends_before_start": _("The end must come after the start."),
        "outside_edition": _("The window must fall within the days of the edition."),
        "bad_kind": _("Choose “I would like to meet”, “Not interested” or clear."),
        "bad_choice": _("Say whether you want visits to be planned for you."),
        "bad_time": _("Write the time as HH:MM, e.g. 11:00."),
        "bad_day": _("Choose a day of the edition."),
        "bad_preset": _("Choose late, absent from a time, or absent all day."),
        "bad_available": _("Choose whether the window blocks or opens visits."),
        "unknown_visitor": _("Choose an official or a delegation of this edition."),
        "not_a_visitor": _("Only officials and decision makers are routed through the demonstrator."),
    }.get(error.code, error.code)


def _locale() -> str:
    return str(get_locale() or "fr")


def _theme(event: Event) -> Theme | None:
    code = request.values.get("theme", "")
    return next((t for t in event.themes if t.code == code), None)


# -- attendees -------------------------------------------------------------------------------------

def _me(event: Event) -> Registration:
    registration = active_registration(event.id, current_user.id)
    if registration is None:
        abort(403)
    return registration


def _render_index(event: Event, error: str | None = None, status: int = 200):
    side, me = board.acting_side(_me(event))
    if side is None:
        return render_template("demonstrator/wishes_not_for_you.html", event=event), 403
    theme = _theme(event)
    found = board.cards(event, side, me, theme)
    return render_template(
        "demonstrator/wishes_index.html", event=event, side=side, me=me, theme=theme, cards=found,
        groups=board.by_delegation(found) if side == board.STARTUP else None,
        opted_out=services.is_opted_out(me) if side == board.VISITOR else False,
        my_themes={t.id for t in me.themes}, locale=_locale(), error=error), status


@bp.get("/wishes")
@requires(Access.ATTENDEE)
def index(event: Event):
    return _render_index(event)


@bp.post("/wishes/<int:registration_id>")
@requires(Access.ATTENDEE)
def set_wish(event: Event, registration_id: int):
    side, me = board.acting_side(_me(event))
    if side is None:
        return render_template("demonstrator/wishes_not_for_you.html", event=event), 403
    target = db.session.get(Registration, registration_id)
    if target is None or target.event_id != event.id:
        abort(404)
    try:
        choice = request.form.get("kind", "")
        if choice not in KINDS:
            raise board.WishPageError("bad_kind", "kind")
        services.set_wish(event, me, target, KINDS[choice], actor_id=current_user.id)
    except DomainError as error:
        return _render_index(event, error_message(error), 422)
    theme = _theme(event)
    return redirect(url_for("wishes.index", slug=event.slug, theme=theme.code if theme else None,
                            _anchor=f"r{target.id}"))


@bp.post("/wishes/opt-out")
@requires(Access.ATTENDEE)
def opt_out(event: Event):
    side, me = board.acting_side(_me(event))
    if side != board.VISITOR:
        return render_template("demonstrator/wishes_not_for_you.html", event=event), 403
    choice = request.form.get("opt_out", "")
    if choice not in ("1", "0"):
        return _render_index(event, error_message(board.WishPageError("bad_choice")), 422)
    services.set_opt_out(me, choice == "1", actor_id=current_user.id)
    flash(_("No visit of the demonstrator will be planned for you.") if choice == "1" else
          _("Visits of the demonstrator can be planned for you again."), "success")
    return redirect(url_for("wishes.index", slug=event.slug, _anchor="opt-out"))


# -- organisers: wishes and scores -------------------------------------------------------------------

@manage_bp.get("/wishes", endpoint="index")
@requires(Access.ORGANISER)
def scores(event: Event):
    theme = _theme(event)
    return render_template(
        "demonstrator/wishes_manage.html", event=event, hall=get_hall(event), theme=theme,
        counts=board.wish_counts(event),
        heat=heatmap.heat_map(event, theme, _locale(), page=query_int(request.args, "page", default=1, high=10_000)),
        settings_url=url_for("hall.index", slug=event.slug) if "hall.index" in current_app.view_functions else None,
        number=board.number, locale=_locale(), suggestions=wish_suggestions(event))
