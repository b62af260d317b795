"""Who a startup's people are: one answer for the library (asking it to agree to be named) and the replication
room (its requests), disabled accounts left out."""
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.network.replication_world import client_of, make_world


def recipients(kind: str) -> set[str]:
    return set(db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == kind)))


def test_both_rooms_tell_the_same_people_and_never_a_disabled_account(app, make_city, make_project, make_person):
    world = make_world(make_city, make_project, make_person)
    make_person("gone@capteurs.fr", organisation_id=world.startup.id, is_enabled=False)
    make_person("invited@capteurs.fr", organisation_id=world.startup.id, password=None)
    other = make_project(world.epinal, "Éclairage public")
    response = client_of(app, world.answerer).submit(f"/network/projects/{other.id}/partners",
                                                     {"organisation": "Capteurs du Morvan", "role": ""})
    assert response.status_code == 302
    response = client_of(app, world.asker).submit(f"/network/projects/{world.project.id}/replicate",
                                                  {"message": "Bonjour"})
    assert response.status_code == 302
    asked = recipients("network_partner_asked")
    assert "gone@capteurs.fr" not in asked and "sam@capteurs.fr" in asked
    told = recipients("network_replication") - {"claire@epinal.fr"}
    assert told == asked
    # A disabled account answers for no startup.
    gone = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "gone@capteurs.fr"))
    assert gone is None
