"""The network's home page and the menu its pages share."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from app.core.access import Access, requires
from app.extensions import db
from app.network.library.partners import organisations_of
from app.network.members.standing import Reader, cities_of, is_network_organiser, listed_condition, standing_condition
from app.network.models import MembershipStatus, NetworkCity, Project, Replication, ReplicationStage

bp = Blueprint("network", __name__, url_prefix="/network", template_folder="templates")

#: The menu: (endpoint, label, who sees it: everyone, contacts of a city, a startup's people, network organisers).
MENU = (
    ("network.home", _l("Network"), "all"),
    ("network_cities.directory", _l("Member cities"), "all"),
    ("network_library.search", _l("Projects"), "all"),
    ("network_replication.consortia", _l("Consortia"), "all"),
    ("network_cities.mine", _l("My city"), "contact"),
    ("network_replication.inbox", _l("Replications"), "contact"),
    ("network_startup.page", _l("My startup"), "startup"),
    ("network_manage.members", _l("Manage the network"), "organiser"),
)


def nav_links() -> list[tuple[str, str, bool]]:
    """The menu for the person reading: (endpoint, label, is the current page). Entries whose pages are not
    there (a room not registered) are left out."""
    shown = {"all"}
    if current_user.is_authenticated:
        if cities_of(current_user):
            shown.add("contact")
        if is_network_organiser(current_user):
            shown.add("organiser")
        if organisations_of(current_user):  # the startups she answers for
            shown.add("startup")
    links = [(endpoint, str(label)) for endpoint, label, who in MENU
             if who in shown and endpoint in current_app.view_functions]
    # The current entry: the one whose address is the longest start of this page's (a blueprint may serve two
    # entries: the replications and the consortia).
    starts = [(len(url_for(endpoint)), endpoint) for endpoint, _label in links
              if request.path.startswith(url_for(endpoint).rstrip("/"))]
    here = max(starts)[1] if starts else None
    return [(endpoint, label, endpoint == here) for endpoint, label in links]


@bp.get("/")
@requires(Access.PUBLIC)
def home():
    reader = Reader.of(current_user)
    num_members = db.session.scalar(select(func.count()).select_from(NetworkCity)
                                    .where(standing_condition() == MembershipStatus.MEMBER))
    num_projects = db.session.scalar(select(func.count()).select_from(Project).where(listed_condition(reader)))
    num_transferred = db.session.scalar(select(func.count()).select_from(Replication)
                                        .where(Replication.stage == ReplicationStage.DEPLOYED))
    latest = db.session.scalars(select(Project).where(listed_condition(reader), Project.published_at.is_not(None))
                                .order_by(Project.published_at.desc(), Project.id.desc()).limit(6)).all()
    return render_template("network/home.html", num_members=num_members, num_projects=num_projects,
                           num_transferred=num_transferred, latest=latest)
