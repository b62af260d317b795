"""The demo's meetings on request (issue 29): the upcoming edition's meeting settings (startups and companies ask
officials and decision makers, officials and decision makers ask startups; two sessions on the first two days;
25 tables), each person's opt-in, and 440 requests in every state, of which 272 accepted, dated between the
confirmations and the demo's last day (app.demo.network_replication.LAST), all before the summit.

Deterministic from the seed. Written as rows (like the network's history): the services' mails and audit rows are
for real people, not for a demo's past. Dates are fixed, so a request waiting for an answer waits until some
weeks after the demo's last day (the demo's expiry is 60 days): a demo opened much later sees them expire.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.demo.network_replication import LAST
from app.events.models import Event
from app.extensions import db
from app.meetings.requests import rules
from app.meetings.requests import settings as meeting_settings
from app.meetings.requests.models import (MeetingParticipant, MeetingProfile, MeetingReason, MeetingRequest,
                                          MeetingSession, MeetingTable, RequestStatus, Side)
from app.meetings.requests.services import expiry_of
from app.registrations.models import Registration, RegistrationStatus

#: (from, to) category codes the demo opens.
PAIRS = [("startup", "elu"), ("startup", "decideur"), ("entreprise", "elu"), ("entreprise", "decideur"),
         ("elu", "startup"), ("decideur", "startup")]
#: Requests in each state; 440 in all.
STATES = [(RequestStatus.ACCEPTED, 272), (RequestStatus.PENDING, 64), (RequestStatus.DECLINED, 48),
          (RequestStatus.CANCELLED, 32), (RequestStatus.EXPIRED, 24)]
EXPIRY_DAYS = 60
#: Requests open on this day (two weeks after registrations opened): early requests have had time to expire by LAST.
OPENED = datetime(2026, 9, 15, 9)
#: The most requests one person sends (and at most 10 wait for an answer: the default limit).
MOST_SENT = 9
SESSIONS = [(0, time(14), time(17, 30)), (1, time(9, 30), time(12, 30))]
MESSAGES = {
    MeetingReason.DISCOVER: ["Nous aimerions vous présenter notre solution en quinze minutes, démonstration à l'appui.",
                             "Votre ville a-t-elle déjà étudié ce sujet ? Notre outil pourrait vous intéresser.",
                             "Nous cherchons des villes moyennes pour tester notre service : pouvons-nous en parler ?"],
    MeetingReason.FOLLOW_UP: ["Pour faire suite à notre échange de l'an dernier sur le démonstrateur.",
                              "Nous avons avancé sur le pilote évoqué avec vos services : faisons le point."],
    MeetingReason.PARTNERSHIP: ["Nous montons un consortium avec deux autres villes : seriez-vous partants ?",
                                "Une convention de partenariat pourrait nous permettre d'avancer ensemble."],
    MeetingReason.PURCHASE: ["Nous préparons une consultation pour 2027 et aimerions comprendre votre offre.",
                             "Votre solution entre-t-elle dans un marché à procédure adaptée ?"],
    MeetingReason.OTHER: ["Un échange rapide sur vos retours d'usage nous serait précieux.", ""],
}
DECLINED = ["Mon agenda du salon est déjà complet, reprenons contact après le sommet.",
            "Ce sujet ne relève pas de mes délégations ; je transmets à mon adjoint.", "", ""]
CANCELLED = ["Conseil municipal avancé : je ne serai pas présente le premier jour.",
             "Nous avons pu échanger avant le sommet, la rencontre n'est plus utile.", ""]


@dataclass
class MeetingsSummary:
    sessions: int = 0
    tables: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    opted_in: int = 0
    opted_out: int = 0

    @property
    def requests(self) -> int:
        return sum(self.by_status.values())

    def line(self) -> str:
        states = ", ".join(f"{k} {v}" for k, v in self.by_status.items())
        return (f"{self.sessions} sessions, {self.tables} tables; {self.requests} requests ({states}); "
                f"{self.opted_in} people opted in, {self.opted_out} out")


def load_meetings(event: Event, seed: int, *, organiser_id: int) -> MeetingsSummary:
    """The settings, opt-ins and requests of the demo's upcoming edition. Commits."""
    rng = random.Random(seed * 37 + 29)
    _settings(event, organiser_id)
    people = list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.CONFIRMED,
                                   Registration.team_lead_id.is_(None))
        .options(selectinload(Registration.category), selectinload(Registration.themes),
                 selectinload(Registration.delegation)).order_by(Registration.id)))
    profiles = _opt_ins(rng, people)
    _requests(rng, event, people, profiles)
    db.session.commit()
    return describe_meetings(event)


def _settings(event: Event, organiser_id: int) -> None:
    ids = {c.code.value: c.id for c in event.categories}
    meeting_settings.save_settings(event, meeting_settings.SettingsInput(
        is_open=True, acceptance="needs_acceptance", slot_minutes=20, max_per_session=6, expiry_days=EXPIRY_DAYS,
        tables="25", pairs=tuple((ids[a], ids[b]) for a, b in PAIRS)), actor_id=organiser_id)
    for offset, start, end in SESSIONS:
        meeting_settings.add_session(event, event.starts_on + timedelta(days=offset), start, end,
                                     actor_id=organiser_id)


def _opt_ins(rng: random.Random, people: list[Registration]) -> dict[int, bool | None]:
    """Two thirds of those in the list of attendees opt in themselves (their position and themes shown), a few opt
    out, the others leave it to their consent."""
    chosen: dict[int, bool | None] = {}
    for registration in people:
        draw = rng.random()
        choice = None if not registration.consent_directory else True if draw < 0.65 else False if draw < 0.7 else None
        chosen[registration.id] = choice
        if choice is not None:
            db.session.add(MeetingProfile(registration_id=registration.id, accepts_requests=choice,
                                          updated_at=OPENED + timedelta(hours=rng.randint(1, 24 * 30))))
    return chosen


def _start(registration: Registration) -> datetime:
    return max(OPENED, registration.confirmed_at or registration.created_at)


def _requests(rng: random.Random, event: Event, people: list[Registration],
              profiles: dict[int, bool | None]) -> None:
    by_code: dict[str, list[Registration]] = {}
    for registration in people:
        by_code.setdefault(registration.category.code.value, []).append(registration)
    open_to = {code: [r for r in members if r.consent_directory and profiles.get(r.id) is not False]
               for code, members in by_code.items()}
    targets = {frm: [to for f, to in PAIRS if f == frm] for frm, _ in PAIRS}
    requesters = [r for code in targets for r in by_code.get(code, [])]
    states = [state for state, count in STATES for _ in range(count)]
    rng.shuffle(states)
    pairs: set[frozenset[int]] = set()
    sent: Counter[int] = Counter()
    for state in states:
        for _attempt in range(200):
            requester = rng.choice(requesters)
            pool = [r for code in targets[requester.category.code.value] for r in open_to.get(code, [])]
            recipient = _likely(rng, requester, pool)
            if recipient is None or sent[requester.id] >= MOST_SENT or frozenset((requester.id, recipient.id)) in pairs:
                continue
            request = _request(rng, event, requester, recipient, state)
            if request is not None:
                pairs.add(frozenset((requester.id, recipient.id)))
                sent[requester.id] += 1
                db.session.add(request)
                break


def _likely(rng: random.Random, requester: Registration, pool: list[Registration]) -> Registration | None:
    """Someone of `pool`, most often one sharing a theme with the requester."""
    if not pool:
        return None
    themes = {t.id for t in requester.themes}
    sharing = [r for r in pool if themes & {t.id for t in r.themes}]
    return rng.choice(sharing if sharing and rng.random() < 0.75 else pool)


def _daytime(moment: datetime, start: datetime, end: datetime) -> datetime:
    """`moment` moved to working hours (07:00-18:59 UTC) on its day, kept between `start` and `end`."""
    return min(max(moment.replace(hour=7 + moment.hour % 12), start), end)


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime | None:
    if end <= start:
        return None
    return _daytime(start + timedelta(minutes=rng.randint(0, int((end - start).total_seconds() // 60))), start, end)


def _request(rng: random.Random, event: Event, requester: Registration, recipient: Registration,
             state: RequestStatus) -> MeetingRequest | None:
    """A request in `state`, its dates between both confirmations and LAST; None when they do not fit."""
    start = max(_start(requester), _start(recipient))
    expiry = timedelta(days=EXPIRY_DAYS)
    if state is RequestStatus.EXPIRED:
        created = _moment(rng, start, LAST - expiry)
    elif state is RequestStatus.PENDING:
        created = _moment(rng, max(start, LAST - timedelta(days=12)), LAST)
    else:
        created = _moment(rng, start, LAST - timedelta(days=3))
    if created is None:
        return None
    reason = rng.choices(list(MESSAGES), weights=[45, 15, 15, 15, 10])[0]
    request = MeetingRequest(event_id=event.id, requester=requester, recipient=recipient, reason=reason,
                             message=rng.choice(MESSAGES[reason]), status=state, created_at=created,
                             expires_at=expiry_of(event, EXPIRY_DAYS, created), updated_at=created)
    answered = _daytime(created + timedelta(minutes=rng.randint(20, 4 * 24 * 60)), created, LAST)
    if state in (RequestStatus.ACCEPTED, RequestStatus.DECLINED) or (state is RequestStatus.CANCELLED
                                                                    and rng.random() < 0.6):
        coordinator = _coordinator(recipient)
        request.status = RequestStatus.DECLINED if state is RequestStatus.DECLINED else RequestStatus.ACCEPTED
        request.answered_at = request.updated_at = min(answered, LAST)
        request.answered_by_id = coordinator.person_id if coordinator and rng.random() < 0.4 else recipient.person_id
        request.answer_reason = rng.choice(DECLINED) if state is RequestStatus.DECLINED else ""
        if request.status is RequestStatus.ACCEPTED:
            _along(rng, request, recipient, Side.RECIPIENT, request.answered_by_id, request.answered_at)
    if state is RequestStatus.CANCELLED:
        by_recipient = request.answered_at is not None and rng.random() < 0.5
        request.status = RequestStatus.CANCELLED
        after = request.answered_at or created
        request.cancelled_at = request.updated_at = _daytime(after + timedelta(hours=rng.randint(2, 96)), after, LAST)
        request.cancelled_by_id = recipient.person_id if by_recipient else requester.person_id
        request.cancel_reason = rng.choice(CANCELLED)
    if state is RequestStatus.EXPIRED:
        request.updated_at = request.expires_at
    _along(rng, request, requester, Side.REQUESTER, requester.person_id, created)
    return request


def _coordinator(registration: Registration) -> Registration | None:
    delegation = registration.delegation
    coordinator = delegation.coordinator if delegation is not None else None
    return coordinator if coordinator is not None and coordinator.id != registration.id else None


def _along(rng: random.Random, request: MeetingRequest, side_of: Registration, side: Side, by_id: int,
           at: datetime) -> None:
    """Now and then a member of the side's delegation comes along."""
    companions = rules.companions(side_of) if side_of.delegation is not None else []
    if companions and rng.random() < 0.3:
        request.participants.append(MeetingParticipant(registration_id=rng.choice(companions).id, side=side,
                                                       added_by_id=by_id, added_at=at))


def describe_meetings(event: Event) -> MeetingsSummary:
    """The edition's meetings on request, counted from the database."""
    counts = dict(db.session.execute(select(MeetingRequest.status, func.count()).where(
        MeetingRequest.event_id == event.id).group_by(MeetingRequest.status)).all())
    profiles = Counter(db.session.scalars(select(MeetingProfile.accepts_requests).join(
        Registration, Registration.id == MeetingProfile.registration_id).where(Registration.event_id == event.id)))
    return MeetingsSummary(
        sessions=db.session.scalar(select(func.count()).select_from(MeetingSession).where(
            MeetingSession.event_id == event.id)),
        tables=db.session.scalar(select(func.count()).select_from(MeetingTable).where(
            MeetingTable.event_id == event.id)),
        by_status={s.value: counts.get(s, 0) for s in RequestStatus},
        opted_in=profiles[True], opted_out=profiles[False])
