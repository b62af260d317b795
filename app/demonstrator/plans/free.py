"""Tour slots a plan leaves free for a visitor: the optimiser found too few stands for them (tidy.short_tours).

The official reads them on her route page and in the publish notice ("free: no visit planned in this slot").
Her calendar gets no event for them: free time is the absence of an appointment, and a visit of an earlier
plan in that slot comes back cancelled (calendar.py), so the slot shows as free where she plans her day.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.i18n import localized
from app.demonstrator.hall.models import TourSlot
from app.demonstrator.plans.models import VisitPlan
from app.extensions import db
from app.registrations.models import Registration


@dataclass(frozen=True)
class FreeSlot:
    """A tour slot left free for the visitor, in the hall's tour slot it falls in (if any)."""

    starts_at: datetime
    ends_at: datetime
    num_stands: int
    tour_slot: TourSlot | None = None

    @property
    def label(self) -> str:
        """The tour slot's name in the current language (a notice job renders each person's own)."""
        return localized(self.tour_slot, "label") if self.tour_slot is not None else ""


#: visitor key ("r7", "d12") -> the slots the plan left free for it, in time order.
FreeByVisitor = dict[str, list[FreeSlot]]


def free_by_visitor(plan_id: int | None, *, labels: bool = True) -> FreeByVisitor:
    """Every visitor's free slots in the plan `plan_id` (None: no plan, nothing free). One query for the
    plan's figures, one for the hall's tour slots when `labels` are wanted and something is free."""
    if plan_id is None:
        return {}
    event_id, figures, reference = db.session.execute(
        select(VisitPlan.event_id, VisitPlan.figures, VisitPlan.reference).where(VisitPlan.id == plan_id)).one()
    short = (figures or {}).get("short_tours", [])
    slots = list(db.session.scalars(select(TourSlot).where(TourSlot.event_id == event_id)
                                    .order_by(TourSlot.starts_at))) if labels and short else []
    free: FreeByVisitor = defaultdict(list)
    for key, _, start, end, num in short:
        starts_at, ends_at = reference + timedelta(minutes=start), reference + timedelta(minutes=end)
        slot = next((s for s in slots if s.starts_at <= starts_at < s.ends_at), None)
        free[key].append(FreeSlot(starts_at, ends_at, num, slot))
    return {key: sorted(found, key=lambda f: f.starts_at) for key, found in free.items()}


def visitor_keys(registration: Registration) -> set[str]:
    """The keys the official walks under in a plan: alone ("r7"), or with her delegation ("d12")."""
    return {f"r{registration.id}"} | ({f"d{registration.delegation_id}"} if registration.delegation_id else set())


def free_slots(registration: Registration, plan_id: int | None,
               free: FreeByVisitor | None = None) -> list[FreeSlot]:
    """The official's free slots in the plan (`free`: every visitor's, when the caller has them already)."""
    free = free_by_visitor(plan_id) if free is None else free
    return sorted((slot for key in visitor_keys(registration) for slot in free.get(key, [])),
                  key=lambda f: f.starts_at)


def newly_free(plan_id: int | None, previous_id: int | None) -> set[tuple[str, datetime]]:
    """(visitor key, start) of the slots `plan_id` leaves free that `previous_id` did not: news to tell."""
    if plan_id == previous_id:
        return set()
    def starts(found: FreeByVisitor) -> set[tuple[str, datetime]]:
        return {(key, slot.starts_at) for key, slots in found.items() for slot in slots}
    return starts(free_by_visitor(plan_id, labels=False)) - starts(free_by_visitor(previous_id, labels=False))
