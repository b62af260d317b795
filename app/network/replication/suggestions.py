"""The loop back to the summit: the startups that member cities asked to replicate become suggested wishes of those
cities' officials at an edition's demonstrator. The organiser confirms one (an ordinary wish is made through the
demonstrator's own service) or dismisses it; either answer is kept so that it is not suggested again. Nothing
reaches the scores until the organiser confirms."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit import services as audit
from app.core.sentences import gettext as _
from app.core.transaction import atomic
from app.demonstrator.wishes import services as wishes
from app.demonstrator.wishes.models import Wish, WishKind
from app.demonstrator.wishes.suggestions import WishSuggestion
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES
from app.events.models import CategoryCode, Event
from app.extensions import db
from app.network.errors import Conflict, NotFound
from app.network.models import (Agreement, NetworkCity, Project, ProjectPartner, Replication,
                                WishSuggestionAnswer)
from app.people.models import OrganisationKind
from app.registrations.models import Category, Registration, RegistrationStatus


@dataclass(frozen=True)
class Pair:
    official: Registration
    stand: Registration
    replication: Replication


def _registrations(event: Event, codes, organisation_ids, *, approved: bool) -> dict[int, list[Registration]]:
    """The edition's registrations of these organisations in these categories, by organisation (one query, their
    people and organisations loaded with them for the page)."""
    if not organisation_ids:
        return {}
    status = (Registration.status == RegistrationStatus.CONFIRMED if approved
              else Registration.status != RegistrationStatus.CANCELLED)
    found: dict[int, list[Registration]] = {}
    for registration in db.session.scalars(
            select(Registration).join(Category, Registration.category_id == Category.id)
            .where(Registration.event_id == event.id, Category.code.in_(codes), status,
                   Registration.organisation_id.in_(organisation_ids), Registration.team_lead_id.is_(None))
            .options(joinedload(Registration.person), joinedload(Registration.organisation))
            .order_by(Registration.id)):
        found.setdefault(registration.organisation_id, []).append(registration)
    return found


def _startup_ids(replication: Replication) -> set[int]:
    ids = {p.organisation_id for p in replication.project.partners
           if p.agreement is Agreement.AGREED and p.organisation.kind == OrganisationKind.STARTUP}
    if replication.startup_id is not None:
        ids.add(replication.startup_id)
    return ids


def all_pairs(event: Event) -> list[Pair]:
    """Every (official, stand) that a live replication points at, answered or not, once each. A fixed number of
    queries, whatever the number of replications."""
    live = db.session.scalars(select(Replication).where(
        Replication.answer != Agreement.DECLINED, Replication.is_cancelled.is_(False))
        .options(joinedload(Replication.city).joinedload(NetworkCity.organisation),
                 joinedload(Replication.project).selectinload(Project.partners)
                 .joinedload(ProjectPartner.organisation))
        .order_by(Replication.created_at, Replication.id)).all()
    startups = {replication.id: _startup_ids(replication) for replication in live}
    officials = _registrations(event, VISITOR_CATEGORIES, {r.city.organisation_id for r in live}, approved=False)
    stands = _registrations(event, [CategoryCode.STARTUP], set().union(*startups.values()), approved=True)
    found: dict[tuple[int, int], Pair] = {}
    for replication in live:
        its_stands = sorted((stand for startup_id in startups[replication.id] for stand in stands.get(startup_id, [])),
                            key=lambda stand: stand.id)
        for official in officials.get(replication.city.organisation_id, []):
            for stand in its_stands:
                found.setdefault((official.id, stand.id), Pair(official, stand, replication))
    return list(found.values())


def _answered(event: Event, pairs: list[Pair]) -> set[tuple[int, int]]:
    if not pairs:
        return set()
    ids = {p.official.id for p in pairs} | {p.stand.id for p in pairs}
    wished = db.session.execute(select(Wish.from_registration_id, Wish.to_registration_id).where(
        Wish.event_id == event.id, Wish.from_registration_id.in_(ids), Wish.to_registration_id.in_(ids))).all()
    done = {(a, b) for a, b in wished} | {(b, a) for a, b in wished}
    done |= set(db.session.execute(select(WishSuggestionAnswer.from_registration_id,
                                          WishSuggestionAnswer.to_registration_id)
                                   .where(WishSuggestionAnswer.event_id == event.id)).all())
    return done


def open_pairs(event: Event) -> list[Pair]:
    pairs = all_pairs(event)
    answered = _answered(event, pairs)
    return [p for p in pairs if (p.official.id, p.stand.id) not in answered]


def provider(event: Event) -> list[WishSuggestion]:
    """The demonstrator's wishes page asks here (registered by this room's init_app)."""
    locale = str(get_locale() or "fr")
    return [WishSuggestion(
        official=p.official, stand=p.stand,
        why=_("%(city)s asked to replicate the project “%(project)s”", city=p.replication.city.name,
              project=p.replication.project.title(locale)),
        confirm_url=url_for("network_suggestions.confirm", slug=event.slug, registration_id=p.official.id,
                            startup_id=p.stand.id),
        dismiss_url=url_for("network_suggestions.dismiss", slug=event.slug, registration_id=p.official.id,
                            startup_id=p.stand.id)) for p in open_pairs(event)]


def _pair(event: Event, official_id: int, stand_id: int) -> Pair:
    pairs = all_pairs(event)
    pair = next((p for p in pairs if p.official.id == official_id and p.stand.id == stand_id), None)
    if pair is None:
        raise NotFound("unknown_suggestion")
    if (official_id, stand_id) in _answered(event, [pair]):
        raise Conflict("suggestion_answered")
    return pair


def answer(event: Event, official_id: int, stand_id: int, *, confirm: bool, actor_id: int | None) -> None:
    """Confirm (a WANT wish from the official to the stand) or dismiss a suggestion; kept either way."""
    with atomic():
        pair = _pair(event, official_id, stand_id)
        if confirm:
            wishes.set_wish(event, pair.official, pair.stand, WishKind.WANT, actor_id=actor_id)
        db.session.add(WishSuggestionAnswer(event_id=event.id, from_registration_id=official_id,
                                            to_registration_id=stand_id, is_confirmed=confirm, by_id=actor_id))
        audit.record("network.suggestion.confirm" if confirm else "network.suggestion.dismiss", actor_id=actor_id,
                     event_id=event.id, obj=pair.replication, details={"from": official_id, "to": stand_id})


