"""The demo network's replications (in every state and stage, with their history) and its two consortia.

Some replications are asked by cities whose official is registered in the upcoming edition, of a project whose
startup holds a stand there: the organiser of the upcoming edition sees them as suggested wishes.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from app.events.models import Category, CategoryCode
from app.extensions import db
from app.network.members.standing import standing
from app.network.models import (Agreement, Consortium, ConsortiumPurpose, ConsortiumStatus, MembershipStatus,
                                NetworkCity, Project, ProjectStatus, Replication, ReplicationStage, ReplicationStep,
                                Visibility)
from app.people.models import OrganisationKind, Person
from app.registrations.models import Registration, RegistrationStatus

#: The last day of the demo's history.
LAST = datetime(2026, 12, 4, 17)
S = ReplicationStage
#: (state, how many, of which suggested wishes of the upcoming edition); a state is an answer or a stage.
STATES = [("pending", 3, 1), ("declined", 2, 0), ("cancelled", 2, 0), (S.IN_TOUCH, 3, 2), (S.EXCHANGE, 3, 1),
          (S.ADAPTED_PLAN, 2, 1), (S.DEPLOYED, 3, 1), (S.DROPPED, 2, 0)]
#: The stages a replication went through to reach each stage (IN_TOUCH is set by the acceptance).
PATHS = {S.IN_TOUCH: [], S.EXCHANGE: [S.EXCHANGE], S.ADAPTED_PLAN: [S.EXCHANGE, S.ADAPTED_PLAN],
         S.DEPLOYED: [S.EXCHANGE, S.ADAPTED_PLAN, S.DEPLOYED], S.DROPPED: [S.EXCHANGE, S.DROPPED]}
MESSAGES = [
    "Votre projet répond exactement à ce que nos élus cherchent : pourrions-nous échanger avec vos services ?",
    "Nous préparons un projet semblable pour 2027 et aimerions profiter de votre retour d'expérience.",
    "Notre conseil municipal a voté le principe ; nous aimerions visiter votre installation.",
    "Ville jumelle de la vôtre, nous souhaiterions reprendre votre démarche à notre échelle.",
]
DECLINED = ["Nos équipes sont mobilisées sur le déploiement jusqu'à l'été ; reprenez contact à la rentrée.",
            "Le projet est encore trop jeune pour être reproduit : nous n'avons pas assez de recul."]
CANCELLED = "Notre conseil a finalement retenu une autre priorité pour cette année."
NOTES = {
    "accepted": "Avec plaisir : notre chargée de mission vous appelle cette semaine.",
    S.EXCHANGE: "Visite sur place avec les services techniques et l'élu délégué.",
    S.ADAPTED_PLAN: "Plan adapté à notre territoire validé en bureau municipal.",
    S.DEPLOYED: "Déployé chez nous ; premiers résultats comparables à ceux de la ville d'origine.",
    S.DROPPED: "Abandonné : le coût de maintenance dépasse notre budget de fonctionnement.",
}


def _startup_of(project: Project):
    return next((p.organisation for p in project.partners if p.agreement is Agreement.AGREED
                 and p.organisation.kind == OrganisationKind.STARTUP), None)


def _upcoming(upcoming_id: int) -> tuple[set[int], set[int]]:
    """The people confirmed in the upcoming edition, and the organisations of its confirmed startups."""
    rows = db.session.execute(select(Registration.person_id, Registration.organisation_id, Category.code)
                              .join(Category).where(Registration.event_id == upcoming_id,
                                                    Registration.status == RegistrationStatus.CONFIRMED)).all()
    return {r.person_id for r in rows}, {r.organisation_id for r in rows if r.code == CategoryCode.STARTUP}


def load_replications(rng: random.Random, projects: list[Project], cities: dict[str, NetworkCity], *,
                      upcoming_id: int, showcase: NetworkCity | None = None,
                      grown: list[Project] = ()) -> list[Replication]:
    """The replications of STATES; one deployed replication is of a project of `showcase` (the city whose contact
    logs in), so that its page shows its project transferred elsewhere, and one in exchange of a project `grown`
    from an outcome."""
    people, stands = _upcoming(upcoming_id)
    members = sorted((c for c in cities.values() if standing(c) is MembershipStatus.MEMBER and c.official_contact_id),
                     key=lambda c: c.id)
    registered = [c for c in members if c.official_contact_id in people]
    # A project published in the last weeks has not been asked for yet.
    # and a city replicates what was tried: a pilot or a deployment, not an idea or an abandoned project.
    visible = [p for p in projects if p.visibility is not Visibility.DRAFT
               and p.published_at <= LAST - timedelta(days=60)
               and p.status in (ProjectStatus.PILOT, ProjectStatus.DEPLOYED)]
    with_stand = [p for p in visible if (s := _startup_of(p)) is not None and s.id in stands]
    own = [p for p in visible if showcase is not None and p.city_id == showcase.id]
    own = [p for p in own if p.status in (ProjectStatus.DEPLOYED, ProjectStatus.PILOT)] or own  # worth replicating
    made, pairs = [], set()
    for state, count, suggested in STATES:
        for n in range(count):
            wish = n < suggested and with_stand and registered
            last = n == count - 1
            pool = (own if own and state is S.DEPLOYED and last else list(grown) if grown and state is S.EXCHANGE
                    and last else with_stand if wish else visible)
            for _ in range(200):
                project = rng.choice(pool)
                city = rng.choice(registered if wish else members)
                if city.id != project.city_id and (project.id, city.id) not in pairs:
                    break
            pairs.add((project.id, city.id))
            made.append(_replication(rng, project, city, state))
    return made


def _replication(rng: random.Random, project: Project, city: NetworkCity, state) -> Replication:
    startup = _startup_of(project)
    stages = PATHS.get(state, []) if isinstance(state, ReplicationStage) else []
    gaps = [rng.randint(3, 20)] + [rng.randint(20, 70) for _ in stages]
    room = (LAST - project.published_at).days - 2
    if sum(gaps) > room:  # a project published late: its history is shorter, and none of it after LAST
        gaps = [max(1, gap * room // sum(gaps)) for gap in gaps]
    asked = project.published_at + timedelta(days=rng.randint(5, 120), hours=rng.randint(0, 8))
    asked = max(min(asked, LAST - timedelta(days=sum(gaps) + 1)), project.published_at + timedelta(hours=2))
    asker = city.official_contact_id
    answerer = project.contact_id
    replication = Replication(project=project, city=city, asked_by_id=asker, message=rng.choice(MESSAGES),
                              startup_id=startup.id if startup else None, created_at=asked)
    replication.steps.append(ReplicationStep(kind="asked", note=replication.message, at=asked, by_id=asker))
    at = asked + timedelta(days=gaps[0], hours=rng.randint(1, 6))
    if state == "pending":
        replication.startup_answer = Agreement.PENDING if startup else None
    elif state == "cancelled":
        replication.is_cancelled = True
        replication.steps.append(ReplicationStep(kind="cancelled", note=CANCELLED, at=at, by_id=asker))
    elif state == "declined":
        replication.answer, replication.answered_at = Agreement.DECLINED, at
        replication.answer_reason = rng.choice(DECLINED)
        replication.steps.append(ReplicationStep(kind="declined", note=replication.answer_reason, at=at,
                                                 by_id=answerer))
    else:
        replication.answer, replication.answered_at, replication.stage = Agreement.AGREED, at, S.IN_TOUCH
        replication.steps.append(ReplicationStep(kind="accepted", note=NOTES["accepted"], at=at, by_id=answerer))
        if startup is not None:
            agreed = rng.random() < 0.85 or state is S.DEPLOYED
            replication.startup_answer = Agreement.AGREED if agreed else Agreement.PENDING
            if agreed:
                # a few days after the city's, never after LAST (a project published late has little room)
                replication.startup_answered_at = min(at + timedelta(days=rng.randint(1, 4)), LAST)
                by = db.session.scalar(select(Person.id).where(Person.organisation_id == startup.id)
                                       .order_by(Person.id).limit(1))
                replication.steps.append(ReplicationStep(kind="startup_agreed", at=replication.startup_answered_at,
                                                         note="Nous accompagnerons la ville avec plaisir.", by_id=by))
        for stage, gap in zip(stages, gaps[1:], strict=True):
            at += timedelta(days=gap)
            replication.stage = stage
            replication.steps.append(ReplicationStep(kind=stage.value, note=NOTES[stage], at=at, by_id=asker))
    replication.updated_at = max(step.at for step in replication.steps)
    db.session.add(replication)
    return replication


def load_consortia(projects: list[Project], cities: dict[str, NetworkCity]) -> list[Consortium]:
    """A joint purchase of leak detection and a shared deployment of on-demand transport."""
    made = []
    for title_start, theme, purpose, status, title, description, size in (
            ("Détection des fuites", "eau-dechets", ConsortiumPurpose.JOINT_PURCHASE, ConsortiumStatus.ACTIVE,
             "Achat groupé de capteurs de détection de fuites",
             "Quatre villes achètent ensemble capteurs acoustiques et maintenance, par un groupement de commandes "
             "porté par la ville pilote : un prix unitaire inférieur de 22 % et un seul marché à suivre.", 4),
            ("Transport à la demande", "mobilite", ConsortiumPurpose.SHARED_DEPLOYMENT, ConsortiumStatus.FORMING,
             "Déploiement commun du transport à la demande",
             "Trois villes partagent la plateforme de réservation et la centrale d'appels du transport à la "
             "demande, chacune avec ses véhicules.", 3)):
        project = next((p for p in projects if p.title_fr.startswith(title_start)
                        and p.visibility is not Visibility.DRAFT), None)
        if project is None:
            continue
        lead = project.city
        others = [c for c in sorted(cities.values(), key=lambda c: c.id) if c is not lead
                  and standing(c) is MembershipStatus.MEMBER and theme in {t.code for t in c.themes}][:size]
        startup = _startup_of(project)
        consortium = Consortium(title=title, description=description, purpose=purpose, status=status,
                                startup_id=startup.id if startup else None, project=project, lead_city=lead,
                                cities=[lead, *others[:size - 1]],
                                created_at=project.published_at + timedelta(days=60))
        consortium.updated_at = consortium.created_at + timedelta(days=30)
        db.session.add(consortium)
        made.append(consortium)
    return made
