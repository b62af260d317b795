"""Recognising an organisation met before, in any edition."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.people.models import Organisation, OrganisationKind, organisation_key


def find_organisation(name: str, kind: OrganisationKind, country: str) -> Organisation | None:
    """The organisation of that kind and country whose name is `name`, case, accents, spaces and punctuation
    aside (the oldest when two records are one, until an organiser merges them), or None.

    The country is part of the identity (Laval in France and Laval in Québec are two cities), and so is the kind
    (a startup named after its town is not the town)."""
    key = organisation_key(name)
    if not key:
        return None
    identity = (key, kind, country)
    for pending in db.session.new:  # added in this unit of work, not flushed yet (an import's earlier row)
        if isinstance(pending, Organisation) and (pending.name_key, pending.kind, pending.country) == identity:
            return pending
    return db.session.scalar(
        select(Organisation).where(Organisation.name_key == key, Organisation.kind == kind,
                                   Organisation.country == country).order_by(Organisation.id).limit(1))
