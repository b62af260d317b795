"""What the default re-computation of a published plan keeps, against a computation from scratch, on the demo summit.

    python bench/bench_stable_plans.py [--instance /tmp/demo20/instance] [--time-limit 45] [--penalties 3]

On a copy of the instance's database (the demo summit with its published plan: `flask demo`), records through
the app's services what happens between publishing and re-computing: 10 officials register (confirmed, attending
every day of the edition, two themes each) and 5 officials with a published route state a wish for a startup
they do not visit.
Then it computes, with the same time limit and seed, the plan the page computes by default (around the published
plan: its visits are the optimiser's `previous`, each change costs the hall's change penalty) and a plan from
scratch (the page's "afresh"), and prints for each the score of its visits, how many of the new officials and
wishes it serves, and what publishing it would change (routes, startups, people told: notify.changes, as the
publish page says). With --penalties, the default computation is repeated with each change penalty given.
The score scale of the edition is printed first: a change must cost more than what a move alone can gain.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from planlib import change_counts, copy_database, machine, make_app, say_changes  # noqa: I001

from sqlalchemy import select  # noqa: E402

from app.demonstrator.hall.queries import get_hall  # noqa: E402
from app.demonstrator.plans import planning  # noqa: E402
from app.demonstrator.plans.models import PlannedVisit, VisitPlan  # noqa: E402
from app.demonstrator.wishes import services as wishes  # noqa: E402
from app.demonstrator.wishes.models import WishKind  # noqa: E402
from app.events.models import CategoryCode, Event  # noqa: E402
from app.extensions import db  # noqa: E402
from app.registrations import services as registrations  # noqa: E402
from app.registrations.models import Mandate, Registration, RegistrationStatus  # noqa: E402


def score_scale(plan: VisitPlan) -> str:
    counts = Counter(round(score) for score, in db.session.execute(
        select(PlannedVisit.score).where(PlannedVisit.plan_id == plan.id)))
    total = sum(counts.values())
    return ", ".join(f"{score}: {n / total:.0%}" for score, n in sorted(counts.items()))


def add_registrations(event: Event, number: int) -> list[int]:
    days = [event.starts_on + timedelta(days=k) for k in range((event.ends_on - event.starts_on).days + 1)]
    themes = sorted(t.code for t in event.themes)  # an official with no theme in common with a startup is not routed
    ids = []
    for k in range(number):
        data = registrations.RegistrationInput(
            category=CategoryCode.ELU, email=f"bench.elu{k}@example.org", first_name="Élue", last_name=f"Banc {k}",
            mandate=Mandate.MAIRE, territory=f"Commune {k}", days=days,
            theme_codes=[themes[k % len(themes)], themes[(k + 3) % len(themes)]])
        registration = registrations.register(event, data, source="import", notify=False,
                                              status=RegistrationStatus.CONFIRMED)
        ids.append(registration.id)
    return ids


def add_wishes(event: Event, published: VisitPlan, number: int) -> list[tuple[str, int]]:
    """`number` officials with a published route each wish a startup they do not visit (the busiest routes)."""
    visits = list(db.session.execute(select(PlannedVisit.visitor_key, PlannedVisit.startup_id)
                                     .where(PlannedVisit.plan_id == published.id)))
    startups = sorted({s for _, s in visits if s is not None})
    routes = Counter(v for v, _ in visits if v.startswith("r"))
    added = []
    for rank, (key, _) in enumerate(routes.most_common(number)):
        visited = {s for v, s in visits if v == key}
        target = next(s for s in startups[rank * 7:] + startups if s not in visited)
        wishes.set_wish(event, db.session.get(Registration, int(key[1:])), db.session.get(Registration, target),
                        WishKind.WANT, actor_id=None)
        added.append((key, target))
    return added


def served(plan: VisitPlan, new_ids: list[int], wished: list[tuple[str, int]]) -> tuple[int, int]:
    rows = set(db.session.execute(select(PlannedVisit.visitor_key, PlannedVisit.startup_id)
                                  .where(PlannedVisit.plan_id == plan.id)))
    new_keys = {f"r{i}" for i in new_ids}
    return len({v for v, _ in rows if v in new_keys}), sum(1 for w in wished if w in rows)


def compute(event: Event, time_limit: float, *, afresh: bool) -> tuple[VisitPlan, float]:
    started = time.perf_counter()
    plan = planning.request_plan(event, planning.new_plan_request(event, time_limit, afresh=afresh), actor_id=None,
                                 seed=11, background=False)
    return plan, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", default="/tmp/demo20/instance")
    parser.add_argument("--slug", default="sommet-nevers-2027")
    parser.add_argument("--time-limit", type=float, default=planning.DEFAULT_TIME_LIMIT)
    parser.add_argument("--penalties", default="", help="Change penalties to try besides the hall's (1,6...).")
    args = parser.parse_args()
    app = make_app(copy_database(Path(args.instance)))
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == args.slug))
        published = planning.published_plan(event)
        hall = get_hall(event)
        print(f"{machine()}; {args.time_limit:g} s per computation, in this process")
        print(f"published plan v{published.version}: score {published.figures['value']:.0f}, "
              f"{published.figures['num_visits']} visits; scores of its visits: {score_scale(published)}; "
              f"change penalty {hall.change_penalty:g}, shortfall penalty {hall.shortfall_penalty:g}")
        event_id, published_id = event.id, published.id
        new_ids = add_registrations(event, 10)
        wished = add_wishes(db.session.get(Event, event_id), db.session.get(VisitPlan, published_id), 5)
        print(f"added: 10 confirmed officials {', '.join(f'r{i}' for i in new_ids)}; 5 wishes "
              f"{', '.join(f'{v}->s{s}' for v, s in wished)}")
        rows = []
        penalties = [hall.change_penalty] + [float(p) for p in args.penalties.split(",") if p]
        for penalty in penalties:
            hall = get_hall(db.session.get(Event, event_id))
            hall.change_penalty = penalty
            db.session.commit()
            plan, seconds = compute(db.session.get(Event, event_id), args.time_limit, afresh=False)
            rows.append((f"default ({plan.origin}, change penalty {penalty:g})", plan, seconds))
        plan, seconds = compute(db.session.get(Event, event_id), args.time_limit, afresh=True)
        rows.append((f"from scratch ({plan.origin})", plan, seconds))
        scratch = rows[-1][1]
        for label, plan, seconds in rows:
            counts = change_counts(plan, published_id)
            officials, wishes_met = served(plan, new_ids, wished)
            print(f"\n{label}, v{plan.version} in {seconds:.1f} s: score {plan.figures['value']:.0f} "
                  f"({plan.figures['value'] / scratch.figures['value']:.2%} of from scratch), "
                  f"{plan.figures['num_visits']} visits; new officials routed {officials}/10, wishes met "
                  f"{wishes_met}/5")
            print(f"  changes against the published plan: {say_changes(counts)}")
        default, scratch_counts = change_counts(rows[0][1], published_id), change_counts(scratch, published_id)
        lost = scratch.figures["value"] - rows[0][1].figures["value"]
        print(f"\nthe default against from scratch: score lost {lost:.0f} ({lost / scratch.figures['value']:.2%}); "
              f"routes changed avoided {scratch_counts['routes'] - default['routes']} "
              f"(moved or removed: {scratch_counts['moved'] - default['moved']}), people told avoided "
              f"{scratch_counts['people'] - default['people']}")


if __name__ == "__main__":
    main()
