"""The network's home page: its figures, for everyone, counting only what the reader may see."""
import re

from app.extensions import db
from app.network.models import MembershipStatus, Visibility
from tests.conftest import login


def figures(client) -> list[int]:
    """Member cities, projects, projects replicated: the three figures of the home page."""
    page = client.get("/network/").get_data(as_text=True)
    block = page.split('data-testid="network-figures"')[1].split("</ul>")[0]
    return [int(n) for n in re.findall(r"<strong>(\d+)</strong>", block)]


def test_home_counts_members_and_the_projects_the_reader_may_see(client, make_city, make_project, make_person):
    nevers = make_city("Ville de Nevers")
    make_city("Ville de Vierzon", status=MembershipStatus.LAPSED)
    make_city("Ville de Dole", status=MembershipStatus.CANDIDATE)
    make_project(nevers, "Mobilité douce")
    make_project(nevers, "Budget participatif", visibility=Visibility.MEMBERS)
    assert figures(client) == [1, 1, 0]
    contact = make_person()
    nevers.official_contact = contact
    db.session.commit()
    login(client, contact)
    assert figures(client) == [1, 2, 0]
