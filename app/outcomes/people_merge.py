"""People recognised across editions: the same mayor registered in 2026 as m.dupont@ville.fr and in 2027 as
maire@ville.fr is two accounts; the organiser sees them side by side and merges them, every registration, role,
outcome and audit row kept.

Likely duplicates: two people whose first and last names are the same once case, accents, spaces and punctuation
are set aside (`app.core.search.fold`). Who may merge: the organisations' rule (platform staff, or an organiser of
every edition where either person appears); a platform staff account is merged away by platform staff only, and
only into another staff account. The kept record keeps its e-mail, password and login; the dropped one is deleted,
which ends its sessions.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit import services as audit
from app.core.search import fold
from app.core.transaction import atomic
from app.events.models import Event
from app.events.services import organised_event_ids
from app.extensions import db
from app.outcomes.organisations import (MergeRefused, MovedRows, _events_by_id, _may_merge,
                                        _sorted_events, mergeable_groups)
from app.people.merging import MergeConflict, count_references, editions_of, fillable_fields, first_conflict, repoint
from app.people.models import Organisation, Person

#: What the rows pointing to a person are, for people (a reference missing here shows as its table name, and a
#: test fails: label it).
REFERENCE_LABELS = {
    "api_token.created_by_id": _l("API tokens created"),
    "audit_entry.actor_id": _l("Audit trail (as the one who acted)"),
    "availability_change.created_by_id": _l("Availability changes made"),
    "check_in.by_id": _l("Check-ins made at the door"),
    "event_role.person_id": _l("Roles"),
    "import_batch.created_by_id": _l("Imports made"),
    "job.created_by_id": _l("Background jobs started"),
    "lead_device.paired_by_id": _l("Scanning devices paired"),
    "lead_pairing_code.created_by_id": _l("Pairing codes created"),
    "meeting_mark.marked_by_id": _l("Meetings on request marked held or missed"),
    "meeting_participant.added_by_id": _l("People brought along to meetings on request"),
    "meeting_reminder.person_id": _l("Reminders of the day before her meetings"),
    "meeting_request.answered_by_id": _l("Meeting requests answered"),
    "meeting_request.cancelled_by_id": _l("Meeting requests cancelled"),
    "network_city.official_contact_id": _l("Network: member cities (as their official contact)"),
    "network_city.staff_contact_id": _l("Network: member cities (as their staff contact)"),
    "network_digest_opt_out.person_id": _l("Network: monthly digest opt-out"),
    "network_membership.changed_by_id": _l("Network: memberships changed"),
    "network_organiser.granted_by_id": _l("Network: organisers appointed"),
    "network_organiser.person_id": _l("Network: organiser role"),
    "network_project.contact_id": _l("Network: projects (as their contact)"),
    "network_project.created_by_id": _l("Network: projects published"),
    "network_project_document.uploaded_by_id": _l("Network: project documents uploaded"),
    "network_project_partner.answered_by_id": _l("Network: startups' answers to being named in projects"),
    "network_replication.asked_by_id": _l("Network: replications asked"),
    "network_replication_step.by_id": _l("Network: replication steps recorded"),
    "network_wish_suggestion.by_id": _l("Network: suggested wishes answered"),
    "outcome.confirmed_by_id": _l("Outcomes confirmed"),
    "outcome.recorded_by_id": _l("Outcomes recorded"),
    "outcome_survey.person_id": _l("Follow-up survey invitations"),
    "outcome_survey_opt_out.person_id": _l("Follow-up survey opt-out"),
    "print_run.created_by_id": _l("Badge print runs"),
    "privacy_export.person_id": _l("Exports of her personal data"),
    "privacy_export.requested_by_id": _l("Personal data exports asked for"),
    "program_publication.published_by_id": _l("Programme publications"),
    "registration.person_id": _l("Registrations"),
    "stand_closure.created_by_id": _l("Stand closures made"),
    "visit_plan.created_by_id": _l("Visit plans made"),
    "webhook_endpoint.created_by_id": _l("Webhook addresses registered"),
}

FIELD_LABELS = {"phone": _l("Phone"), "job_title": _l("Job title"), "organisation_id": _l("Organisation")}


def name_key(person: Person) -> tuple[str, str]:
    """The folded first and last name: equal keys are likely one person."""
    return fold(person.first_name), fold(person.last_name)


@dataclass
class PersonCandidate:
    person: Person
    editions: list[Event]
    num_rows: int = 0


@dataclass
class PersonGroup:
    members: list[PersonCandidate]


def duplicate_people(actor) -> list[PersonGroup]:
    """The groups of likely duplicate people `actor` may merge, each oldest record first, by name."""
    rows = db.session.execute(select(Person.id, Person.first_name, Person.last_name)).all()
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for person_id, first_name, last_name in rows:
        key = (fold(first_name), fold(last_name))
        if any(key):
            by_key[key].append(person_id)
    grouped = [ids for ids in by_key.values() if len(ids) > 1]
    editions = editions_of([i for ids in grouped for i in ids], Person)
    kept_groups = mergeable_groups(grouped, editions, organised_event_ids(actor))
    people = {p.id: p for p in db.session.scalars(
        select(Person).where(Person.id.in_([i for ids in kept_groups for i in ids] or [0])))}
    events = _events_by_id(e for ids in kept_groups for i in ids for e in editions[i])
    groups = [PersonGroup([PersonCandidate(people[i], _sorted_events(editions[i], events)) for i in ids])
              for ids in kept_groups]
    return sorted(groups, key=lambda g: (name_key(g.members[0].person)[::-1], g.members[0].person.id))


def _load_pair(actor, kept_id: int, dropped_id: int) -> tuple[Person, Person, dict[int, set[int]]]:
    if kept_id == dropped_id:
        raise MergeRefused("same", "dropped_id")
    kept, dropped = db.session.get(Person, kept_id), db.session.get(Person, dropped_id)
    for person, name, person_id in ((kept, "kept_id", kept_id), (dropped, "dropped_id", dropped_id)):
        if person is None:
            raise MergeRefused("unknown", name, id=person_id)
    editions = editions_of([kept_id, dropped_id], Person)
    if dropped.is_staff and not actor.is_staff:
        raise MergeRefused("staff", "dropped_id")
    if not _may_merge(organised_event_ids(actor), editions[kept_id], editions[dropped_id]):
        raise MergeRefused("not_allowed")
    if dropped.id == actor.id:
        raise MergeRefused("yourself", "dropped_id")
    if dropped.is_staff and not kept.is_staff:
        raise MergeRefused("staff_kept", "kept_id")
    return kept, dropped, editions


@dataclass
class PersonMergePreview:
    kept: PersonCandidate
    dropped: PersonCandidate
    moved: list[MovedRows]
    #: The kept record's empty fields the dropped one fills: (label, value).
    filled: list[tuple[str, object]]
    #: What would stop the merge (a unique row both hold), shown before the organiser tries.
    conflict: MergeRefused | None = None


def reference_label(key: str) -> str:
    return str(REFERENCE_LABELS.get(key, key))


def _shown(name: str, value):
    if name == "organisation_id":
        organisation = db.session.get(Organisation, value)
        return organisation.name if organisation else value
    return value


def merge_preview(actor, kept_id: int, dropped_id: int) -> PersonMergePreview:
    """What merging person `dropped_id` into `kept_id` would move and fill. Changes nothing. Raises MergeRefused."""
    kept, dropped, editions = _load_pair(actor, kept_id, dropped_id)
    counts = count_references(dropped.id, Person)
    events = _events_by_id(set(editions[kept_id]) | set(editions[dropped_id]))
    per_edition: dict[int | None, list[tuple[str, int]]] = defaultdict(list)
    for (key, event_id), num in sorted(counts.items(), key=lambda item: reference_label(item[0][0])):
        per_edition[event_id].append((reference_label(key), num))
    moved = [MovedRows(event, per_edition[event.id]) for event in _sorted_events(per_edition.keys() - {None}, events)]
    if None in per_edition:
        moved.append(MovedRows(None, per_edition[None]))
    return PersonMergePreview(
        kept=PersonCandidate(kept, _sorted_events(editions[kept_id], events),
                             sum(count_references(kept.id, Person).values())),
        dropped=PersonCandidate(dropped, _sorted_events(editions[dropped_id], events), sum(counts.values())),
        moved=moved,
        filled=[(str(FIELD_LABELS.get(name, name)), _shown(name, value))
                for name, value in fillable_fields(kept, dropped).items()],
        conflict=_refusal_of(first_conflict(dropped.id, kept.id, Person)))


def _refusal_of(conflict: MergeConflict | None) -> MergeRefused | None:
    return None if conflict is None else MergeRefused("conflict", table=conflict.table, event_id=conflict.event_id)


@atomic()
def merge_people(actor, kept_id: int, dropped_id: int) -> Person:
    """Merge person `dropped_id` into `kept_id`: every row pointing to her points to the kept record, whose empty
    fields she fills; she is deleted (her sessions end); an audit row names both, by id. One unit of work.
    Raises MergeRefused."""
    kept, dropped, editions = _load_pair(actor, kept_id, dropped_id)
    details = {"kept": {"id": kept.id, "editions": sorted(editions[kept_id])},
               "dropped": {"id": dropped.id, "editions": sorted(editions[dropped_id])},
               "filled": sorted(fillable_fields(kept, dropped))}
    try:
        details["moved"] = repoint(dropped, kept)
    except MergeConflict as conflict:
        raise _refusal_of(conflict) from conflict
    audit.record("person.merge", actor_id=actor.id, obj=kept, details=details)
    return kept
