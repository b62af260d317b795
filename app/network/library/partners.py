"""The startups and companies of a project, their agreement, and its documents.

A company is named at once; a startup is asked first: its people (those of its organisation, and its stands'
exhibitors) are told through the outbox and one of them agrees or declines on `/network/startup`. Until it
agrees, the startup is neither shown nor found by its name."""
from __future__ import annotations

from sqlalchemy import select

from app.audit import services as audit
from app.auth.models import EventRole, RoleName
from app.core.search import fold
from app.core.timefmt import utcnow
from app.core.transaction import atomic
from app.extensions import db
from app.mail.services import send_mail
from app.network.errors import NetworkError, NotAllowed, NotFound
from app.network.library import search
from app.network.library.services import may_publish
from app.network.models import Agreement, Project, ProjectDocument, ProjectPartner
from app.people.models import Organisation, OrganisationKind, Person, organisation_key

PARTNER_KINDS = (OrganisationKind.STARTUP, OrganisationKind.ENTREPRISE)
MAX_ROLE = 200
MAX_DOCUMENT = 10 * 1024 * 1024
MAX_DOCUMENTS = 10


class TooLarge(NetworkError):
    status = 413


def _may_edit(project: Project, actor: Person) -> None:
    if not may_publish(actor, project.city):
        raise NotAllowed("not_your_city", "project")


def find_partner(name: str) -> Organisation:
    """The startup or company named `name` (its folded name, as the editions recognise it)."""
    key = organisation_key(name)
    if not key:
        raise NetworkError("partner_required", "organisation")
    found = db.session.scalars(select(Organisation).where(Organisation.name_key == key,
                                                          Organisation.kind.in_(PARTNER_KINDS))
                               .order_by(Organisation.id).limit(1)).first()
    if found is None:
        words = fold(name).split()[:3]
        close = db.session.scalars(select(Organisation.name).where(
            Organisation.kind.in_(PARTNER_KINDS), *(Organisation.search_key.like(f"%{w}%") for w in words))
            .order_by(Organisation.name).limit(5)).all() if words else []
        raise NetworkError("partner_unknown", "organisation", close=", ".join(close))
    return found


def people_of(organisation: Organisation | None) -> list[Person]:
    """Who answers for a startup: its people and the exhibitors of its stands, disabled accounts left out. The
    one list for the library (asking it to agree) and the replication room (its requests, its contacts)."""
    if organisation is None:
        return []
    exhibitors = select(EventRole.person_id).where(EventRole.role == RoleName.EXHIBITOR,
                                                   EventRole.organisation_id == organisation.id)
    return list(db.session.scalars(select(Person).where(
        Person.is_enabled.is_(True),
        (Person.organisation_id == organisation.id) | Person.id.in_(exhibitors)).order_by(Person.id)))


def organisations_of(person: Person | None) -> list[Organisation]:
    """The startups a person answers for (her organisation, the startups she is an exhibitor of); none for a
    disabled account."""
    if person is None or not getattr(person, "is_authenticated", False) or not person.is_enabled:
        return []
    exhibited = select(EventRole.organisation_id).where(EventRole.role == RoleName.EXHIBITOR,
                                                        EventRole.person_id == person.id)
    return list(db.session.scalars(select(Organisation).where(
        Organisation.kind == OrganisationKind.STARTUP,
        (Organisation.id == person.organisation_id) | Organisation.id.in_(exhibited)).order_by(Organisation.name)))


def startup_ids_of(person: Person | None) -> set[int]:
    return {organisation.id for organisation in organisations_of(person)}


def add_partner(project: Project, name: str, role: str, *, actor: Person) -> tuple[ProjectPartner, int]:
    """Name a startup or company in a project; returns the partner and how many of a startup's people were told
    (0: nobody has an e-mail address, the page says so)."""
    _may_edit(project, actor)
    role = (role or "").strip()
    if len(role) > MAX_ROLE:
        raise NetworkError("too_long", "role", max=MAX_ROLE)
    organisation = find_partner(name or "")
    if any(p.organisation_id == organisation.id for p in project.partners):
        raise NetworkError("partner_already", "organisation")
    told = 0
    with atomic():
        is_startup = organisation.kind is OrganisationKind.STARTUP
        partner = ProjectPartner(organisation=organisation, role=role,
                                 agreement=Agreement.PENDING if is_startup else Agreement.AGREED)
        project.partners.append(partner)
        db.session.flush()
        search.reindex([project])
        if is_startup:
            for person in people_of(organisation):
                if person.email:
                    send_mail(person.email, template="network_partner_asked", locale=person.locale,
                              kind="network_partner_asked", person=person, project=project,
                              organisation=organisation)
                    told += 1
        audit.record("network.project.partner.add", actor_id=actor.id, obj=project,
                     details={"organisation_id": organisation.id, "agreement": partner.agreement.value,
                              "told": told})
    return partner, told


def remove_partner(project: Project, partner_id: int, *, actor: Person) -> None:
    _may_edit(project, actor)
    partner = next((p for p in project.partners if p.id == partner_id), None)
    if partner is None:
        raise NotFound("partner_not_found", "partner")
    with atomic():
        project.partners.remove(partner)
        db.session.flush()
        search.reindex([project])
        audit.record("network.project.partner.remove", actor_id=actor.id, obj=project,
                     details={"organisation_id": partner.organisation_id})


def answer(partner_id: int, value: str, *, actor: Person) -> ProjectPartner:
    """A startup's person agrees to be named in a project, or declines."""
    partner = db.session.get(ProjectPartner, partner_id)
    if partner is None or partner.organisation not in organisations_of(actor):
        raise NotAllowed("not_your_startup", "partner")
    if value not in (Agreement.AGREED.value, Agreement.DECLINED.value):
        raise NetworkError("answer_invalid", "answer")
    with atomic():
        partner.agreement = Agreement(value)
        partner.answered_at = utcnow()
        partner.answered_by_id = actor.id
        db.session.flush()
        search.reindex([partner.project])
        audit.record(f"network.project.partner.{value}", actor_id=actor.id, obj=partner.project,
                     details={"organisation_id": partner.organisation_id})
    return partner


def is_pdf(content: bytes) -> bool:
    """A PDF by its content: the %PDF- header first and an %%EOF marker at its end (not by its name)."""
    return content.startswith(b"%PDF-") and b"%%EOF" in content[-2048:]


def safe_filename(name: str) -> str:
    """A name to offer the download under: letters, digits, dots, dashes; always ending in .pdf."""
    stem = "-".join(fold((name or "").rsplit(".", 1)[0] if name and "." in name else name or "").split())[:80]
    return f"{stem or 'document'}.pdf"


def add_document(project: Project, filename: str, content: bytes | None, *, actor: Person) -> ProjectDocument:
    """Attach a PDF; `content` is None when it was longer than the limit (the page read no further)."""
    _may_edit(project, actor)
    if content is None:
        raise TooLarge("document_too_large", "document", max_mb=MAX_DOCUMENT // (1024 * 1024))
    if not content:
        raise NetworkError("document_required", "document")
    if not is_pdf(content):
        raise NetworkError("document_not_pdf", "document")
    if len(project.documents) >= MAX_DOCUMENTS:
        raise NetworkError("too_many_documents", "document", max=MAX_DOCUMENTS)
    with atomic():
        document = ProjectDocument(filename=safe_filename(filename), size=len(content), content=content,
                                   uploaded_by_id=actor.id)
        project.documents.append(document)
        db.session.flush()
        audit.record("network.project.document.add", actor_id=actor.id, obj=project,
                     details={"document_id": document.id, "size": document.size})
    return document


def delete_document(project: Project, document_id: int, *, actor: Person) -> None:
    _may_edit(project, actor)
    document = next((d for d in project.documents if d.id == document_id), None)
    if document is None:
        raise NotFound("document_not_found", "document")
    with atomic():
        project.documents.remove(document)
        audit.record("network.project.document.delete", actor_id=actor.id, obj=project,
                     details={"document_id": document_id})
