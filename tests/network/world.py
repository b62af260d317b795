"""The network's part of the access matrix's world: the official of the matrix is the official contact of a member
city; another member city publishes a project with the stand's startup, which the first asks to replicate; both
are in a consortium. Returns the values that fill the network's URLs."""
from __future__ import annotations

from app.extensions import db
from app.network.library import search
from app.network.members.standing import current_year
from app.network.models import (Agreement, Consortium, ConsortiumPurpose, Membership, MembershipStatus, NetworkCity,
                                NetworkOrganiser, Project, ProjectDocument, ProjectPartner, ProjectStatus, Replication,
                                ReplicationStage, ReplicationStep, Visibility)
from app.people.models import Organisation, OrganisationKind


def network_world(people: dict, official_registration, stand) -> dict:
    db.session.add(NetworkOrganiser(person_id=people["network"].id))
    city = NetworkCity(organisation_id=official_registration.organisation_id,
                       official_contact_id=official_registration.person_id, region="Bourgogne-Franche-Comté")
    city.memberships.append(Membership(year=current_year(), status=MembershipStatus.MEMBER))
    other = NetworkCity(organisation=Organisation(name="Ville d'Épinal", kind=OrganisationKind.COLLECTIVITE,
                                                  population=31_000), region="Grand Est")
    other.memberships.append(Membership(year=current_year(), status=MembershipStatus.MEMBER))
    project = Project(city=other, title_fr="Stationnement intelligent", status=ProjectStatus.DEPLOYED,
                      visibility=Visibility.PUBLIC, summary_fr="Des capteurs sur 400 places.")
    partner = ProjectPartner(organisation_id=stand.organisation_id, agreement=Agreement.AGREED)
    project.partners.append(partner)
    document = ProjectDocument(filename="bilan.pdf", size=15, content=b"%PDF-1.4\n%%EOF\n")
    project.documents.append(document)
    own = Project(city=city, title_fr="Navette autonome", status=ProjectStatus.PILOT, visibility=Visibility.DRAFT)
    db.session.add_all([city, other, project, own])
    db.session.flush()
    search.reindex([project, own])
    replication = Replication(project=project, city=city, asked_by_id=official_registration.person_id,
                              message="Nous aimerions faire de même.", answer=Agreement.AGREED,
                              startup_id=stand.organisation_id, startup_answer=Agreement.PENDING,
                              stage=ReplicationStage.IN_TOUCH)
    replication.steps.append(ReplicationStep(kind="asked"))
    consortium = Consortium(title="Achat groupé de capteurs", purpose=ConsortiumPurpose.JOINT_PURCHASE,
                            startup_id=stand.organisation_id, project=project, lead_city=other,
                            cities=[other, city])
    db.session.add_all([replication, consortium])
    db.session.commit()
    return {"city_id": city.id, "other_city_id": other.id, "project_id": project.id, "own_project_id": own.id,
            "partner_id": partner.id, "document_id": document.id, "replication_id": replication.id,
            "consortium_id": consortium.id, "year": current_year()}
