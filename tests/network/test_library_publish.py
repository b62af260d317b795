"""Publishing and editing a project: who may, what is refused (with nothing stored), documents, partners."""
from io import BytesIO

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.mail.models import OutboxMessage
from app.network.models import (Agreement, MembershipStatus, Project, ProjectDocument, ProjectPartner, ProjectStatus,
                                Visibility)
from app.people.models import Organisation, OrganisationKind
from tests.conftest import login
from tests.outcomes.organisation_rows import organisation, outcome

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EN = {"Accept-Language": "en"}


def form(**changes) -> dict:
    data = {"title_fr": "Mobilité douce", "title_en": "Soft mobility", "summary_fr": "Des vélos partout.",
            "status": "pilot", "budget_band": "under_50k", "visibility": "public", "started_on": "2025-03-01"}
    data.update(changes)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_member_contact_publishes_then_edits_and_each_write_is_audited(client, make_city, make_person,
                                                                          make_theme):
    theme = make_theme("mobilite", "Mobilité", "Mobility")
    contact = make_person()
    city = make_city(staff=contact)
    login(client, contact)
    response = client.submit("/network/projects/new", form(theme_ids=[str(theme.id)], contact_id=str(contact.id)))
    assert response.status_code == 302
    project = db.session.scalar(select(Project))
    assert project.city_id == city.id and project.themes == [theme] and project.contact_id == contact.id
    assert project.published_at is not None
    assert "Mobilité douce" in client.get("/network/projects/?q=mobilite").get_data(as_text=True)
    response = client.submit(f"/network/projects/{project.id}/edit", form(title_fr="Mobilité partagée",
                                                                          visibility="draft"))
    assert response.status_code == 302
    # Set back to draft: out of the search, still on "my city".
    assert "Mobilité partagée" not in client.get("/network/projects/?q=partagee").get_data(as_text=True)
    assert "Mobilité partagée" in client.get("/network/my-city").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["network.project.create", "network.project.edit"]


def test_a_draft_gets_its_publication_date_the_first_time_it_is_shown(client, make_city, make_person):
    contact = make_person()
    make_city(staff=contact)
    login(client, contact)
    client.submit("/network/projects/new", form(visibility="draft"))
    project = db.session.scalar(select(Project))
    assert project.published_at is None
    client.submit(f"/network/projects/{project.id}/edit", form(visibility="members"))
    db.session.refresh(project)
    first = project.published_at
    assert first is not None
    client.submit(f"/network/projects/{project.id}/edit", form(visibility="public"))
    db.session.refresh(project)
    assert project.published_at == first


def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, make_city, make_person):
    contact = make_person()
    make_city(staff=contact)
    login(client, contact)
    for changes, words in ((dict(title_fr=""), "Title in French"), (dict(status="done"), "Status"),
                           (dict(visibility="secret"), "Visibility"), (dict(started_on="2025-13-01"), "Start date"),
                           (dict(started_on="2025-03-01", ended_on="2024-01-01"), "End date"),
                           (dict(title_fr="x" * 201), "Title in French"),
                           (dict(contact_id="999999"), "Contact"),
                           (dict(theme_ids="999999"), "Theme")):
        response = client.submit("/network/projects/new", form(**changes), headers=EN)
        assert response.status_code == 422, changes
        assert words in response.get_data(as_text=True), changes
    assert client.submit("/network/projects/new", form(theme_ids="abc")).status_code == 400
    assert count(Project) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.like("network.%"))) == 0


def test_the_contact_is_one_of_the_citys_contacts_or_nobody(client, make_city, make_person):
    """Nobody else is named (her address would be shown to member cities), and the form tells nothing of who
    has an account."""
    contact, registered = make_person(), make_person("someone@ailleurs.fr")
    make_city(staff=contact)
    login(client, contact)
    page = client.get("/network/projects/new").get_data(as_text=True)
    assert 'name="contact_email"' not in page and 'name="contact_id"' in page
    response = client.submit("/network/projects/new", form(contact_id=str(registered.id)), headers=EN)
    assert response.status_code == 422 and "Contact" in response.get_data(as_text=True)
    known = client.submit("/network/projects/new", form(contact_email="someone@ailleurs.fr"))
    unknown = client.submit("/network/projects/new", form(title_fr="Autre", contact_email="nobody@nowhere.org"))
    assert known.status_code == unknown.status_code == 302
    assert [p.contact_id for p in db.session.scalars(select(Project))] == [None, None]


def test_a_lapsed_members_contact_and_another_citys_contact_may_not_edit(client, make_city, make_project,
                                                                         make_person):
    lapsed_contact, other_contact = make_person(), make_person()
    lapsed = make_city("Ville de Vierzon", status=MembershipStatus.LAPSED, staff=lapsed_contact)
    make_city("Ville de Dole", staff=other_contact)
    project = make_project(lapsed, "Ancien projet")
    draft = make_project(lapsed, "Ancien brouillon", visibility=Visibility.DRAFT)
    login(client, lapsed_contact)
    assert client.get("/network/projects/new").status_code == 403
    assert client.get(f"/network/projects/{project.id}/edit").status_code == 403
    assert client.submit(f"/network/projects/{project.id}/edit", form()).status_code == 403
    client.get("/logout")
    login(client, other_contact)
    assert client.get(f"/network/projects/{project.id}/edit").status_code == 403
    assert client.get(f"/network/projects/{draft.id}/edit").status_code == 404
    db.session.refresh(project)
    assert project.title_fr == "Ancien projet"


def test_documents_are_checked_by_content_and_size(client, make_city, make_project, make_person):
    contact = make_person()
    project = make_project(make_city(staff=contact), "Projet")
    login(client, contact)
    url = f"/network/projects/{project.id}/documents"

    def send(content: bytes, name: str = "bilan.pdf"):
        return client.submit(url, {"document": (BytesIO(content), name)}, content_type="multipart/form-data",
                             headers=EN)

    response = send(b"GIF89a not a pdf at all", "fake.pdf")
    assert response.status_code == 422 and "not a PDF" in response.get_data(as_text=True)
    response = send(b"%PDF-" + b"0" * (10 * 1024 * 1024) + b"%%EOF")
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)
    response.request.environ["wsgi.input"].close()  # the test client spooled the large body to a file
    assert count(ProjectDocument) == 0
    assert send(PDF, "Bilan d'étape (final).PDF").status_code == 302
    document = db.session.scalar(select(ProjectDocument))
    response = client.get(f"/network/projects/{project.id}/documents/{document.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "bilan-d-etape-final.pdf" in response.headers["Content-Disposition"]
    for _ in range(9):
        send(PDF)
    response = send(PDF)
    assert response.status_code == 422 and "at most 10 documents" in response.get_data(as_text=True)
    assert count(ProjectDocument) == 10
    client.submit(f"/network/projects/{project.id}/documents/{document.id}/delete")
    assert count(ProjectDocument) == 9


def test_a_drafts_document_is_not_served_to_others(client, make_city, make_project):
    project = make_project(make_city(), "Brouillon", visibility=Visibility.DRAFT)
    project.documents.append(ProjectDocument(filename="a.pdf", size=len(PDF), content=PDF))
    db.session.commit()
    assert client.get(f"/network/projects/{project.id}/documents/{project.documents[0].id}").status_code == 404


def test_deleting_needs_a_confirmation_and_removes_it_from_the_search(client, make_city, make_project, make_person):
    contact = make_person()
    project = make_project(make_city(staff=contact), "Navette autonome")
    login(client, contact)
    assert client.submit(f"/network/projects/{project.id}/delete").status_code == 422
    assert client.submit(f"/network/projects/{project.id}/delete", {"confirm": "yes"}).status_code == 302
    assert count(Project) == 0
    assert "Navette" not in client.get("/network/projects/?q=navette").get_data(as_text=True)


def test_a_company_is_shown_at_once_a_startup_after_it_agrees(client, make_city, make_project, make_person, db):
    contact = make_person()
    project = make_project(make_city(staff=contact), "Chaufferie bois", status=ProjectStatus.DEPLOYED)
    startup = Organisation(name="Watt Connect", kind=OrganisationKind.STARTUP)
    company = Organisation(name="Bois Énergie SA", kind=OrganisationKind.ENTREPRISE)
    db.session.add_all([startup, company])
    db.session.commit()
    founder = make_person(organisation_id=startup.id)
    login(client, contact)
    assert client.submit(f"/network/projects/{project.id}/partners",
                         {"organisation": "bois energie sa", "role": "chaudière"}).status_code == 302
    assert client.submit(f"/network/projects/{project.id}/partners",
                         {"organisation": "Watt  connect", "role": "capteurs"}).status_code == 302
    response = client.submit(f"/network/projects/{project.id}/partners", {"organisation": "Watt"}, headers=EN)
    assert response.status_code == 422 and "Did you mean: Watt Connect" in response.get_data(as_text=True)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == founder.email))
    assert mail is not None and "Chaufferie bois" in mail.body
    client.get("/logout")
    page = client.get(f"/network/projects/{project.id}").get_data(as_text=True)
    assert "Bois Énergie SA" in page and "Watt Connect" not in page
    assert "Chaufferie" not in client.get("/network/projects/?q=watt").get_data(as_text=True)
    login(client, founder)
    page = client.get("/network/startup/").get_data(as_text=True)
    assert "Chaufferie bois" in page
    partner = next(p for p in project.partners if p.organisation_id == startup.id)
    assert client.submit(f"/network/startup/partners/{partner.id}", {"answer": "agreed"}).status_code == 302
    db.session.refresh(partner)
    assert partner.agreement is Agreement.AGREED and partner.answered_by_id == founder.id
    client.get("/logout")
    assert "Watt Connect" in client.get(f"/network/projects/{project.id}").get_data(as_text=True)
    assert "Chaufferie" in client.get("/network/projects/?q=watt").get_data(as_text=True)


def test_someone_of_no_startup_gets_a_sentence_and_may_not_answer(client, make_city, make_project, make_person, db):
    startup = Organisation(name="Watt Connect", kind=OrganisationKind.STARTUP)
    project = make_project(make_city(), "Chaufferie", partners=[startup])
    stranger = make_person()
    login(client, stranger)
    response = client.get("/network/startup/")
    assert response.status_code == 200 and 'data-testid="no-startup"' in response.get_data(as_text=True)
    assert client.submit(f"/network/startup/partners/{project.partners[0].id}",
                         {"answer": "declined"}).status_code == 403


def test_the_startups_page_links_to_the_projects_its_person_may_read(client, make_city, make_project, make_person):
    startup = Organisation(name="Watt Connect", kind=OrganisationKind.STARTUP)
    city = make_city()
    public = make_project(city, "Chaufferie bois", partners=[startup])
    draft = make_project(city, "Réseau de chaleur", partners=[startup], visibility=Visibility.DRAFT)
    founder = make_person(organisation_id=startup.id)
    login(client, founder)
    page = client.get("/network/startup/").get_data(as_text=True)
    assert f'href="/network/projects/{public.id}"' in page  # to read the project before agreeing
    assert "Réseau de chaleur" in page and f'href="/network/projects/{draft.id}"' not in page  # she may not read it


def test_the_outcome_it_grew_from_is_one_of_its_citys_and_is_shown(client, event, make_city, make_person):
    contact = make_person()
    city = make_city("Ville de Nevers", staff=contact)
    startup = organisation("Capteurs du Morvan", OrganisationKind.STARTUP)
    own = outcome(event.id, startup.id, city.organisation_id)
    other = outcome(event.id, startup.id, organisation("Ville de Dole").id)
    db.session.commit()
    login(client, contact)
    response = client.submit("/network/projects/new", form(outcome_id=str(other.id)), headers=EN)
    assert response.status_code == 422 and "Outcome it grew from" in response.get_data(as_text=True)
    assert client.submit("/network/projects/new", form(outcome_id=str(own.id))).status_code == 302
    project = db.session.scalar(select(Project))
    page = client.get(f"/network/projects/{project.id}", headers=EN).get_data(as_text=True)
    # The startup is not named until it agrees to be a partner of the project: the kind and edition alone.
    assert 'data-testid="outcome"' in page and "Capteurs du Morvan" not in page
    project.partners.append(ProjectPartner(organisation=startup, agreement=Agreement.PENDING))
    db.session.commit()
    assert "Capteurs du Morvan" not in client.get(f"/network/projects/{project.id}").get_data(as_text=True)
    project.partners[0].agreement = Agreement.AGREED
    db.session.commit()
    page = client.get(f"/network/projects/{project.id}", headers=EN).get_data(as_text=True)
    assert "Capteurs du Morvan" in page.split('data-testid="outcome"')[1].split("</p>")[0]
