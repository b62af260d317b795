"""After the previous edition: what came of its meetings (outcomes) and the follow-up surveys sent so far.

Outcomes go through the outcomes service (`record_outcome`, `confirm_outcome`: the same checks and audit as
the pages), from realised visits, held meetings on request, scanned contacts and meetings outside the hall; their dates (recorded,
confirmed) are then set to the months after the summit. Surveys: the 1-month and 3-month waves have gone out
to the people who met someone, some answered; the 6-month wave is not due yet.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from app.events.models import CategoryCode, Event
from app.extensions import db
from app.outcomes.meetings import Meeting, meetings
from app.outcomes.models import (OutcomeKind, OutcomeSide, OutcomeSource, OutcomeStatus, SurveyInvitation,
                                 SurveyOptOut)
from app.outcomes.services import (CITY_SIDE_CATEGORIES, OutcomeInput, city_organisation, confirm_outcome,
                                   record_outcome)
from app.outcomes.survey import new_token, token_hash
from app.outcomes.survey_jobs import LINK_LIFETIME, add_months, invitees
from app.registrations.models import Registration, RegistrationStatus

#: How many outcomes come from each kind of meeting (at most: held meetings on request that no visit realised are few).
FROM_VISITS, FROM_MEETINGS, FROM_SCANS, BY_HAND = 45, 4, 18, 10
#: Outcomes are recorded and confirmed up to this day (the demo's data is fixed; it is before today).
LAST_DAY = date(2026, 11, 30)
KIND_WEIGHTS = [(OutcomeKind.FOLLOW_UP, 25), (OutcomeKind.DEMO, 18), (OutcomeKind.PILOT, 15),
                (OutcomeKind.TENDER, 8), (OutcomeKind.CONTRACT, 8), (OutcomeKind.PARTNERSHIP, 8),
                (OutcomeKind.NONE, 12)]
S = OutcomeStatus
STATUS_WEIGHTS = {
    OutcomeKind.FOLLOW_UP: [(S.DONE, 60), (S.IN_PROGRESS, 25), (S.PLANNED, 15)],
    OutcomeKind.DEMO: [(S.DONE, 60), (S.PLANNED, 25), (S.ABANDONED, 15)],
    OutcomeKind.PILOT: [(S.IN_PROGRESS, 45), (S.PLANNED, 25), (S.DONE, 20), (S.ABANDONED, 10)],
    OutcomeKind.TENDER: [(S.IN_PROGRESS, 40), (S.PLANNED, 30), (S.DONE, 20), (S.ABANDONED, 10)],
    OutcomeKind.CONTRACT: [(S.DONE, 70), (S.IN_PROGRESS, 30)],
    OutcomeKind.PARTNERSHIP: [(S.IN_PROGRESS, 50), (S.DONE, 30), (S.PLANNED, 20)],
    OutcomeKind.NONE: [(S.DONE, 100)],
}
#: (share with an amount, lowest, highest) in euros.
AMOUNTS = {OutcomeKind.PILOT: (0.6, 5_000, 40_000), OutcomeKind.TENDER: (0.7, 30_000, 250_000),
           OutcomeKind.CONTRACT: (0.9, 10_000, 120_000), OutcomeKind.PARTNERSHIP: (0.3, 2_000, 20_000)}
#: The currency of a city's country and about how many units make a euro.
CURRENCY = {"FR": ("EUR", 1), "BE": ("EUR", 1), "LU": ("EUR", 1), "CA": ("CAD", 1.5), "CH": ("CHF", 1),
            "MA": ("MAD", 11), "TN": ("TND", 3.4), "SN": ("XOF", 655), "CI": ("XOF", 655), "CM": ("XAF", 655)}
NOTES = {
    OutcomeKind.FOLLOW_UP: "Échange avec les services techniques après le salon.",
    OutcomeKind.DEMO: "Démonstration en mairie devant les élus et les services.",
    OutcomeKind.PILOT: "Expérimentation sur un quartier pendant six mois.",
    OutcomeKind.TENDER: "Consultation lancée ; la startup a répondu.",
    OutcomeKind.CONTRACT: "Marché signé pour deux ans.",
    OutcomeKind.PARTNERSHIP: "Convention de partenariat avec l'agglomération.",
    OutcomeKind.NONE: "Pas de besoin à court terme.",
}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _moment(event: Event, day: date, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(9), tzinfo=ZoneInfo(event.timezone)) + timedelta(minutes=rng.randint(0, 540))
    return local.astimezone(UTC).replace(tzinfo=None)


@dataclass
class _Pair:
    stand: Registration
    person: Registration
    meeting: Meeting | None  # None: met outside the hall (added by hand)


def _pairs(event: Event, rng: random.Random) -> list[_Pair]:
    """Meetings that led somewhere: some realised visits, some scanned contacts, a few meetings by hand."""
    registrations = {r.id: r for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id)
        .options(selectinload(Registration.category), selectinload(Registration.organisation),
                 selectinload(Registration.delegation)))}

    def city_side(registration: Registration) -> bool:
        return (registration.status == RegistrationStatus.CONFIRMED and registration.category.code in
                (CategoryCode.ELU, CategoryCode.DECIDEUR) and city_organisation(registration) is not None)

    found = [m for m in meetings(event) if city_side(registrations[m.registration_id])
             and registrations[m.stand_id].organisation is not None]
    visits = [m for m in found if m.source == OutcomeSource.VISIT]
    scans = [m for m in found if m.source == OutcomeSource.SCAN]
    held = [m for m in found if m.source == OutcomeSource.MEETING]
    chosen = rng.sample(visits, min(FROM_VISITS, len(visits))) + rng.sample(scans, min(FROM_SCANS, len(scans)))
    chosen += rng.sample(held, min(FROM_MEETINGS, len(held)))  # drawn last: the draws above stay as they were
    pairs = [_Pair(registrations[m.stand_id], registrations[m.registration_id], m) for m in chosen]
    met = {(m.stand_id, m.registration_id) for m in found}
    stands = sorted({m.stand_id for m in found})
    officials = sorted(r.id for r in registrations.values() if city_side(r) and r.category.code in CITY_SIDE_CATEGORIES)
    while len(pairs) < len(chosen) + BY_HAND and stands and officials:
        stand, person = rng.choice(stands), rng.choice(officials)
        if (stand, person) not in met:
            met.add((stand, person))
            pairs.append(_Pair(registrations[stand], registrations[person], None))
    return pairs


def load_outcomes(event: Event, seed: int, *, organiser_id: int) -> int:
    """Outcomes of every kind and status, recorded by the startups, the cities or the organisers in the months
    after the edition, some confirmed by the other side. Commits (one unit of work each); returns the count."""
    rng = random.Random(seed * 19 + 11)
    pairs = _pairs(event, rng)
    kinds = [kind for kind, _ in KIND_WEIGHTS]  # every kind once, then as often as it happens
    for n, pair in enumerate(pairs):
        kind = kinds[n] if n < len(kinds) else _weighted(rng, KIND_WEIGHTS)
        status = _weighted(rng, STATUS_WEIGHTS[kind])
        first = event.ends_on + timedelta(days=3)
        status_on = first + timedelta(days=rng.randint(0, (LAST_DAY - first).days))
        currency, rate = CURRENCY.get(city_organisation(pair.person).country or "FR", ("EUR", 1))
        amount = None
        if kind in AMOUNTS and rng.random() < AMOUNTS[kind][0]:
            low, high = AMOUNTS[kind][1:]
            amount = int(round(rng.randint(low, high) * rate, -3 if rate * high >= 100_000 else -2))
        notes = NOTES[kind] if rng.random() < 0.4 else ""
        side = _weighted(rng, [(OutcomeSide.STARTUP, 55), (OutcomeSide.CITY, 25), (OutcomeSide.ORGANISER, 20)])
        by = {OutcomeSide.STARTUP: pair.stand.person_id, OutcomeSide.CITY: pair.person.person_id,
              OutcomeSide.ORGANISER: organiser_id}
        meeting = pair.meeting
        outcome = record_outcome(
            event, OutcomeInput(kind, status, status_on, amount, currency, notes), stand=pair.stand,
            registration=pair.person, source=meeting.source if meeting else OutcomeSource.MANUAL,
            planned_visit_id=meeting.planned_visit_id if meeting else None,
            lead_id=meeting.lead_id if meeting else None, actor_id=by[side], side=side)
        outcome.created_at = outcome.updated_at = _moment(event, status_on, rng)
        confirms = {OutcomeSide.STARTUP: 0.45, OutcomeSide.CITY: 0.4, OutcomeSide.ORGANISER: 0.3}[side]
        if kind != OutcomeKind.NONE and rng.random() < confirms:
            other = OutcomeSide.STARTUP if side == OutcomeSide.CITY else OutcomeSide.CITY
            confirm_outcome(outcome, actor_id=by[other], side=other)
            day = min(LAST_DAY, status_on + timedelta(days=rng.randint(2, 30)))
            outcome.confirmed_at = outcome.updated_at = max(_moment(event, day, rng), outcome.created_at)
        db.session.commit()
    return len(pairs)


def load_surveys(event: Event, seed: int) -> int:
    """The 1-month and 3-month follow-up surveys as the daily pass sent them (survey_jobs: the same people, a
    link of the same lifetime, a fresh random token of which only the hash is kept), on the day each was due;
    some were opened and answered, two people opted out after the first. The 6-month wave is not due yet.
    Commits; returns the number sent."""
    rng = random.Random(seed * 23 + 7)
    recipients = invitees(event)
    zone = ZoneInfo(event.timezone)
    opted_out: set[int] = set()
    rows = []
    for wave in (1, 3):
        sent_at = datetime.combine(add_months(event.ends_on, wave), time(6, 30), tzinfo=zone)
        sent_at = sent_at.astimezone(UTC).replace(tzinfo=None)
        answers = 0.35 if wave == 1 else 0.25
        for invitee in recipients:
            if invitee.person_id in opted_out:
                continue
            answered = rng.random() < (answers if invitee.side == OutcomeSide.STARTUP else answers * 0.7)
            opened = answered or rng.random() < 0.25
            after = timedelta(hours=rng.randint(2, 20 * 24))
            rows.append({"event_id": event.id, "person_id": invitee.person_id,
                         "registration_id": invitee.registration_id, "side": invitee.side, "wave": wave,
                         "token_hash": token_hash(new_token()), "created_at": sent_at, "sent_at": sent_at,
                         "opened_at": sent_at + after if opened else None,
                         "answered_at": sent_at + after + timedelta(minutes=rng.randint(2, 15)) if answered else None,
                         "expires_at": sent_at + LINK_LIFETIME})
        if wave == 1:
            opted_out = set(rng.sample([i.person_id for i in recipients], min(2, len(recipients))))
    if rows:
        db.session.execute(insert(SurveyInvitation), rows)
        # An opt-out holds for every edition: a reloaded demo finds it there already.
        known = set(db.session.scalars(select(SurveyOptOut.person_id).where(SurveyOptOut.person_id.in_(opted_out))))
        db.session.add_all(SurveyOptOut(person_id=p, at=datetime(2026, 7, 20, 8, 30))
                           for p in sorted(opted_out - known))
    db.session.commit()
    return len(rows)
