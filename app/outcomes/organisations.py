"""Organisations recognised across editions: the likely duplicates an organiser reviews, and the merge of two
records that are one (the startup, the city of 2026 and of 2027), with every outcome and audit row kept.

Who may merge: platform staff, and an organiser of every edition where either record appears (a row of that
edition points to it: a registration, a delegation, an outcome, a stand's staff...). The usual case, the same city
registered in 2026 and again in 2027, is merged by the summit's organisers, who organise both editions (a clone
carries its organising team); an organiser never changes rows of an edition she does not organise.

Likely duplicates: two organisations whose names are the same once case, accents, spaces, punctuation and generic
words (ville, commune, mairie, de, la, SAS, SARL... `GENERIC_WORDS`) are set aside, whatever their kind or
country: "Ville de Nevers", "Mairie de Nevers" and "NEVERS"; "Capteurs du Morvan" and "Capteurs du Morvan SAS".
Registration recognises the same name, kind and country by itself (`app.people.services.find_organisation`); this
list shows what it cannot decide alone.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit import services as audit
from app.core.domain import DomainError
from app.core.search import fold
from app.core.transaction import atomic
from app.events.models import Event
from app.events.services import manageable_events, organised_event_ids
from app.extensions import db
from app.people.merging import MergeConflict, count_references, editions_of, fillable_fields, repoint
from app.people.models import Organisation, OrganisationKind

GENERIC_WORDS = frozenset({
    "ville", "commune", "mairie", "metropole", "agglomeration", "communaute", "city", "town", "municipality",
    "de", "du", "des", "la", "le", "les", "l", "d", "of", "the", "et", "and",
    "sas", "sasu", "sarl", "sa", "eurl", "sci", "inc", "ltd", "llc", "gmbh",
})

#: What the rows pointing to an organisation are, for people (a reference missing here shows as its table name,
#: and a test fails: label it).
REFERENCE_LABELS = {
    "delegation.organisation_id": _l("Delegations"),
    "event_role.organisation_id": _l("Exhibitor staff roles"),
    "network_city.organisation_id": _l("Network: member city page"),
    "network_consortium.startup_id": _l("Network: consortia (as the startup)"),
    "network_project_partner.organisation_id": _l("Network: projects (as a partner)"),
    "network_replication.startup_id": _l("Network: replications (as the startup)"),
    "outcome.organisation_id": _l("Outcomes (as the city or organisation met)"),
    "outcome.startup_id": _l("Outcomes (as the startup)"),
    "person.organisation_id": _l("People (their current organisation)"),
    "registration.organisation_id": _l("Registrations"),
}

KIND_LABELS = {
    OrganisationKind.COLLECTIVITE: _l("Local authority"), OrganisationKind.STARTUP: _l("Startup"),
    OrganisationKind.ENTREPRISE: _l("Company"), OrganisationKind.INSTITUTION: _l("Institution"),
    OrganisationKind.PRESSE: _l("Press"), OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.AUTRE: _l("Other"),
}

FIELD_LABELS = {
    "city": _l("City"), "territory": _l("Territory"), "population": _l("Population"), "website": _l("Website"),
    "pitch": _l("Pitch (French)"), "pitch_en": _l("Pitch (English)"),
}


class MergeRefused(DomainError):
    """A merge that cannot be done: same (one record twice), unknown (an id that names none), not_allowed,
    conflict (a unique row both hold, `table`)."""


def likeness_key(name: str) -> str:
    """The name without case, accents, spaces, punctuation or generic words: equal keys are likely one."""
    words = fold(name).split()
    return "".join([w for w in words if w not in GENERIC_WORDS] or words)


@dataclass
class Candidate:
    organisation: Organisation
    editions: list[Event]
    num_rows: int = 0


@dataclass
class DuplicateGroup:
    members: list[Candidate]


def may_manage_organisations(person) -> bool:
    """Staff, or an organiser of at least one edition: the duplicates page opens."""
    return person.is_staff or bool(manageable_events(person))


def _may_merge(organised: set[int] | None, *edition_sets: set[int]) -> bool:
    if organised is None:
        return True
    editions = set().union(*edition_sets)
    return bool(editions) and editions <= organised


def _events_by_id(ids) -> dict[int, Event]:
    ids = set(ids)
    return {e.id: e for e in db.session.scalars(select(Event).where(Event.id.in_(ids)))} if ids else {}


def _sorted_events(ids, events: dict[int, Event]) -> list[Event]:
    return sorted((events[i] for i in ids), key=lambda e: (e.starts_on, e.id))


def mergeable_groups(grouped: list[list[int]], editions: dict[int, set[int]],
                     organised: set[int] | None) -> list[list[int]]:
    """Of groups of record ids that may be one, the records this person may merge (all of them for platform
    staff, `organised` None): those whose editions she all organises, in groups of two or more."""
    kept = []
    for ids in grouped:
        if organised is not None:
            mine = [i for i in ids if editions[i] <= organised]
            if not any(_may_merge(organised, editions[a], editions[b]) for a, b in combinations(mine, 2)):
                continue
            ids = mine
        kept.append(sorted(ids))
    return kept


def duplicate_groups(person) -> list[DuplicateGroup]:
    """The groups of likely duplicates `person` may merge, each oldest record first, by name."""
    rows = db.session.execute(select(Organisation.id, Organisation.name)).all()
    by_key: dict[str, list[int]] = defaultdict(list)
    for organisation_id, name in rows:
        by_key[likeness_key(name)].append(organisation_id)
    grouped = [ids for ids in by_key.values() if len(ids) > 1]
    editions = editions_of([i for ids in grouped for i in ids])
    kept_groups = mergeable_groups(grouped, editions, organised_event_ids(person))
    organisations = {o.id: o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_([i for ids in kept_groups for i in ids] or [0])))}
    events = _events_by_id(e for ids in kept_groups for i in ids for e in editions[i])
    groups = [DuplicateGroup([Candidate(organisations[i], _sorted_events(editions[i], events)) for i in ids])
              for ids in kept_groups]
    return sorted(groups, key=lambda g: (fold(g.members[0].organisation.name), g.members[0].organisation.id))


def _load_pair(person, kept_id: int, dropped_id: int) -> tuple[Organisation, Organisation, dict[int, set[int]]]:
    if kept_id == dropped_id:
        raise MergeRefused("same", "dropped_id")
    kept, dropped = db.session.get(Organisation, kept_id), db.session.get(Organisation, dropped_id)
    for organisation, name, organisation_id in ((kept, "kept_id", kept_id), (dropped, "dropped_id", dropped_id)):
        if organisation is None:
            raise MergeRefused("unknown", name, id=organisation_id)
    editions = editions_of([kept_id, dropped_id])
    if not _may_merge(organised_event_ids(person), editions[kept_id], editions[dropped_id]):
        raise MergeRefused("not_allowed")
    return kept, dropped, editions


@dataclass
class MovedRows:
    """What moves to the kept record in one edition (None: rows of no edition, such as people)."""

    edition: Event | None
    counts: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class MergePreview:
    kept: Candidate
    dropped: Candidate
    moved: list[MovedRows]
    #: The kept record's empty fields the dropped one fills: (label, value).
    filled: list[tuple[str, object]]


def reference_label(key: str) -> str:
    return str(REFERENCE_LABELS.get(key, key))


def merge_preview(person, kept_id: int, dropped_id: int) -> MergePreview:
    """What merging `dropped_id` into `kept_id` would move and fill. Changes nothing. Raises MergeRefused."""
    kept, dropped, editions = _load_pair(person, kept_id, dropped_id)
    counts = count_references(dropped.id)
    events = _events_by_id(set(editions[kept_id]) | set(editions[dropped_id]))
    per_edition: dict[int | None, list[tuple[str, int]]] = defaultdict(list)
    for (key, event_id), num in sorted(counts.items(), key=lambda item: reference_label(item[0][0])):
        per_edition[event_id].append((reference_label(key), num))
    moved = [MovedRows(event, per_edition[event.id]) for event in _sorted_events(per_edition.keys() - {None}, events)]
    if None in per_edition:
        moved.append(MovedRows(None, per_edition[None]))
    kept_rows = sum(count_references(kept.id).values())
    return MergePreview(
        kept=Candidate(kept, _sorted_events(editions[kept_id], events), kept_rows),
        dropped=Candidate(dropped, _sorted_events(editions[dropped_id], events), sum(counts.values())),
        moved=moved,
        filled=[(str(FIELD_LABELS.get(name, name)), value) for name, value in fillable_fields(kept, dropped).items()])


def _summary(organisation: Organisation, editions: set[int]) -> dict:
    return {"id": organisation.id, "name": organisation.name, "kind": organisation.kind.value,
            "country": organisation.country, "editions": sorted(editions)}


@atomic()
def merge_organisations(person, kept_id: int, dropped_id: int) -> Organisation:
    """Merge `dropped_id` into `kept_id`: every row pointing to it points to the kept record, whose empty fields
    it fills; it is deleted; an audit row names both. One unit of work. Raises MergeRefused."""
    kept, dropped, editions = _load_pair(person, kept_id, dropped_id)
    details = {"kept": _summary(kept, editions[kept_id]), "dropped": _summary(dropped, editions[dropped_id]),
               "filled": sorted(fillable_fields(kept, dropped))}
    try:
        details["moved"] = repoint(dropped, kept)
    except MergeConflict as conflict:
        raise MergeRefused("conflict", table=conflict.table) from conflict
    audit.record("organisation.merge", actor_id=person.id, obj=kept, details=details)
    return kept
