"""A small edition for the outcome pages: two stands, each with a team member and a contact scanned, two
officials of two cities (one the coordinator of a delegation with a third official), a visitor, an organiser."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.auth.services import set_password
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.leads.models import Lead
from app.people.models import Person
from app.registrations import delegations
from app.registrations.models import Registration
from app.registrations.services import TeamMember, approve
from tests.conftest import TEST_PASSWORD


@dataclass
class World:
    event: Event
    stand: Registration          # Capteurs du Morvan, met Anne Morel (Sainte-Énimie) and Bruno Lefèvre
    member: Registration         # a team member of `stand`
    other_stand: Registration    # Watt Ville, met Claire Petit (Bourges)
    other_member: Registration
    official: Registration       # Anne Morel, Sainte-Énimie, coordinator of a delegation with Bruno Lefèvre
    delegate: Registration       # Bruno Lefèvre, in Anne Morel's delegation (Sainte-Énimie too)
    other_official: Registration  # Claire Petit, Bourges
    visitor: Registration
    organiser: Person
    lead: Lead                   # stand x official


def scanned(stand: Registration, person: Registration, at: datetime) -> Lead:
    lead = Lead(event_id=stand.event_id, stand_id=stand.id, registration_id=person.id, first_scanned_at=at,
                last_scanned_at=at, num_scans=1)
    db.session.add(lead)
    db.session.commit()
    return lead


def build(event: Event, make_registration, make_organiser) -> World:
    def startup(name: str, member: tuple[str, str]) -> tuple[Registration, Registration]:
        stand = make_registration(event, CategoryCode.STARTUP, organisation_name=name,
                                  team=[TeamMember(member[0], member[1], f"{member[0].lower()}@{name[:4].lower()}.fr")])
        team = db.session.query(Registration).filter_by(team_lead_id=stand.id).one()
        return stand, team

    stand, member = startup("Capteurs du Morvan", ("Inès", "Girard"))
    other_stand, other_member = startup("Watt Ville", ("Hugo", "Chevalier"))
    official = make_registration(event, CategoryCode.ELU, first_name="Anne", last_name="Morel",
                                 territory="Sainte-Énimie")
    delegate = make_registration(event, CategoryCode.ELU, first_name="Bruno", last_name="Lefèvre",
                                 territory="Sainte-Énimie")
    other_official = make_registration(event, CategoryCode.ELU, first_name="Claire", last_name="Petit",
                                       territory="Bourges")
    visitor = make_registration(event, CategoryCode.VISITEUR, first_name="Denis", last_name="Roux")
    people = [stand, member, other_stand, other_member, official, delegate, other_official, visitor]
    approve(event, [r.id for r in people], actor_id=None)
    for registration in people:
        set_password(registration.person, TEST_PASSWORD)
    group = delegations.create_delegation(event, "Délégation de Sainte-Énimie", actor_id=None)
    delegations.set_members(event, group, [official.id, delegate.id], official.id, actor_id=None)
    db.session.commit()
    day = datetime.combine(event.starts_on, datetime.min.time()).replace(hour=9)
    lead = scanned(stand, official, day)
    scanned(stand, delegate, day.replace(hour=10))
    scanned(other_stand, other_official, day.replace(hour=11))
    return World(event, stand, member, other_stand, other_member, official, delegate, other_official, visitor,
                 make_organiser(event), lead)
