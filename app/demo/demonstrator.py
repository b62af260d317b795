"""The demo summit's demonstrator: a hall of 120 stands by theme, bookings, tour slots, wishes, a published plan."""
from __future__ import annotations

import random
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.transaction import atomic
from app.demonstrator.hall import calendar as hall_calendar
from app.demonstrator.hall import services as hall_services
from app.demonstrator.hall.queries import get_hall
from app.demonstrator.plans import editing, planning
from app.demonstrator.wishes.models import Wish, WishKind
from app.demonstrator.wishes.visitors import VISITOR_CATEGORIES
from app.events.models import Category, CategoryCode, Event
from app.extensions import db
from app.registrations.models import Registration, RegistrationStatus

#: Six rows of twenty 3 x 3 m stands, back to back in pairs, with 5 m aisles; the entrance at the front.
HALL_WIDTH, HALL_DEPTH = 70.0, 44.0
ROW_Y = [6.0, 9.0, 17.0, 20.0, 28.0, 31.0]
COLUMN_X = [5.0 + 3.0 * i for i in range(20)]
#: The "parcours" of each day (local time), between the plenaries, as in the program's guided tours.
TOUR_SLOTS = [(time(10, 45), time(12, 15), "Parcours du matin", "Morning tour"),
              (time(14, 0), time(15, 30), "Parcours de l'après-midi", "Afternoon tour"),
              (time(16, 0), time(17, 30), "Parcours de fin de journée", "Late afternoon tour")]
OPEN_FROM, OPEN_TO = time(9, 0), time(18, 0)
#: The demo's plan is computed this long when the demo loads (the organiser can compute a better one); its tight bound
#: then gets as long, enough for the span LP on this hall (about 16 s on the reference machine), so that the plan page
#: tells how close the plan is to the best possible.
PLAN_SECONDS = 30


def _utc(event: Event, day, at: time) -> datetime:
    local = datetime.combine(day, at, tzinfo=ZoneInfo(event.timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def _of_category(event: Event, codes) -> list[Registration]:
    return list(db.session.scalars(
        select(Registration).join(Category)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED,
               Category.code.in_(codes), Registration.team_lead_id.is_(None))
        .options(selectinload(Registration.themes)).order_by(Registration.id)))


def load_demonstrator(event: Event, seed: int, *, actor_id: int, plan_seconds: float = PLAN_SECONDS) -> str:
    """Lay out the hall, book a stand for every confirmed startup, add tour slots and wishes, publish a plan.

    Returns what was made, in a line.
    """
    rng = random.Random(seed * 11 + 3)
    with atomic():  # the whole layout is stored at once
        hall = get_hall(event)
        hall.width, hall.depth = HALL_WIDTH, HALL_DEPTH
        hall_services.save_entrance(event, "Entrée principale", HALL_WIDTH / 2, HALL_DEPTH, name_en="Main entrance",
                                    actor_id=actor_id)
        hall_services.save_entrance(event, "Entrée Agora", 0.0, 13.0, name_en="Agora entrance", actor_id=actor_id)

        startups = _of_category(event, [CategoryCode.STARTUP])
        themes = {t.id: t for t in event.themes}
        # Stands grouped by theme: startups sorted by their first theme fill the rows in order.
        startups.sort(key=lambda r: (min((t.position for t in r.themes), default=99), r.id))
        places = [(row, col) for row in range(len(ROW_Y)) for col in range(len(COLUMN_X))]
        stands = []
        for n, (row, col) in enumerate(places):
            startup = startups[n] if n < len(startups) else None
            theme = startup.themes[0] if startup is not None and startup.themes else None
            wide = n % 23 == 7  # a few stands take two groups at once
            stands.append(hall_services.save_stand(event, hall_services.StandInput(
                number=f"{'ABCDEF'[row]}{col + 1:02d}", x=COLUMN_X[col], y=ROW_Y[row], width=3.0, depth=3.0,
                zone=themes[theme.id].name_fr if theme else "", zone_en=themes[theme.id].name_en if theme else "",
                theme_id=theme.id if theme else None,
                capacity=2 if wide else 1), actor_id=actor_id))
        for stand, startup in zip(stands, startups):
            for day in event.days:
                hall_calendar.book_stand(event, stand, startup, _utc(event, day, OPEN_FROM), _utc(event, day, OPEN_TO),
                                         actor_id=actor_id)
        # Some startups pitch on stage on the second morning: their stands close meanwhile.
        for stand in stands[3:len(startups):17]:
            day = event.days[min(1, len(event.days) - 1)]
            hall_calendar.close_stand(event, stand, _utc(event, day, time(11, 15)), _utc(event, day, time(12, 15)),
                                      "Pitch en plénière", actor_id=actor_id)
        for day in event.days:
            for start, end, label, label_en in TOUR_SLOTS:
                hall_calendar.add_tour_slot(event, _utc(event, day, start), _utc(event, day, end), label,
                                            label_en=label_en, actor_id=actor_id)
        _wishes(event, rng, startups)
    made = f"{len(stands)} stands, {min(len(stands), len(startups))} held by startups"
    if plan_seconds:
        plan = planning.request_plan(event, planning.PlanRequest(time_limit=plan_seconds), actor_id=actor_id,
                                     seed=seed, background=False)
        editing.publish(plan, actor_id=actor_id, notify_people=False)
        f = plan.figures
        made += (f"; visit plan v{plan.version} published: {f['num_visits']} visits ({f['num_meetings']} meetings) "
                 f"for {f['num_visitors']} officials and delegations")
    return made


def _wishes(event: Event, rng: random.Random, startups: list[Registration]) -> None:
    """Officials wish to meet a few startups of their themes (and turn one down now and then); startups
    wish to meet a few officials, mayors first."""
    officials = _of_category(event, VISITOR_CATEGORIES)
    by_theme: dict[int, list[Registration]] = {}
    for startup in startups:
        for theme in startup.themes:
            by_theme.setdefault(theme.id, []).append(startup)
    rows = []
    for official in officials:
        if rng.random() < 0.45:
            pool = sorted({s.id: s for t in official.themes for s in by_theme.get(t.id, [])}.values(),
                          key=lambda s: s.id)
            for startup in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
                rows.append((official.id, startup.id, WishKind.WANT))
        if rng.random() < 0.08 and startups:
            rows.append((official.id, rng.choice(startups).id, WishKind.NO))
    mayors = [o for o in officials if o.mandate is not None and o.mandate.value in ("maire", "president_interco")]
    for startup in startups:
        for official in rng.sample(mayors, min(len(mayors), rng.randint(1, 4))):
            rows.append((startup.id, official.id, WishKind.WANT))
    seen = set()
    for src, dst, kind in rows:
        if (src, dst) not in seen:
            seen.add((src, dst))
            db.session.add(Wish(event_id=event.id, from_registration_id=src, to_registration_id=dst, kind=kind))
    db.session.flush()
