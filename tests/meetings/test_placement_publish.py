"""Publishing the placement: attendees see the draft; only those whose meeting is new, moved or cancelled are told."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.demonstrator.plans.models import PlanStatus
from app.extensions import db
from app.mail.models import OutboxMessage
from app.meetings.errors import Conflict
from app.meetings.placement import editing, placing, publishing
from app.meetings.placement.availability import MEETING, busy_of, people_of, routes_plan
from app.meetings.placement.models import MeetingPlacement
from app.meetings.requests.models import MeetingParticipant, RequestStatus, Side
from tests.meetings.placement_world import build, utc


@pytest.fixture
def pw(event, make_registration):
    w = build(event, make_registration)
    placing.place_all(w.event, time_limit=2, actor_id=None)
    return w


def mails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == publishing.KIND)
                                   .order_by(OutboxMessage.id)))


def placement_of(request) -> MeetingPlacement:
    return db.session.scalar(select(MeetingPlacement).where(MeetingPlacement.request_id == request.id))


def test_publishing_shows_the_draft_and_publishes_the_routes_with_it(pw):
    plan = routes_plan(pw.event)
    assert plan.status is PlanStatus.DRAFT
    found = publishing.publish(pw.event, actor_id=None)
    db.session.expire_all()
    assert routes_plan(pw.event).status is PlanStatus.PUBLISHED
    assert found.count("new") == 6 and found.count("moved") == 0
    meeting = placement_of(pw.meetings["company_mayor"])
    assert (meeting.published_starts_at, meeting.published_table_id) == (meeting.starts_at, meeting.table_id)
    sent = mails()
    # Everyone in a placed meeting once: the mayor has three meetings, one e-mail.
    assert len(sent) == len({r for m in pw.meetings.values() if m is not pw.meetings["absent"] for r in people_of(m)})
    mayor = [m for m in sent if m.recipient == "maire@nevers.fr"]
    assert len(mayor) == 1 and mayor[0].body.count("- Nouvelle :") == 3
    assert "stand A1" in mayor[0].body


def test_after_publishing_only_those_whose_meeting_moved_or_was_cancelled_are_told(pw):
    publishing.publish(pw.event, actor_id=None)
    before = len(mails())
    meeting = placement_of(pw.meetings["company_speaker"])
    taken = {b.starts_at for r in people_of(meeting.request) for b in busy_of(pw.event, [r])[r] if b.kind == MEETING}
    slot = next(s for s in (utc(pw.event.days[1], f"{h}:{m:02d}") for h in (10, 11) for m in (0, 20, 40))
                if s not in taken and s != meeting.starts_at)
    editing.move(pw.event, meeting.id, starts_at=slot, table=meeting.table_id, actor_id=None)
    cancelled = pw.meetings["other_startup"]
    cancelled.status = RequestStatus.CANCELLED
    db.session.commit()
    assert publishing.changes(pw.event).num_people == 4
    found = publishing.publish(pw.event, actor_id=None)
    assert (found.count("new"), found.count("moved"), found.count("cancelled")) == (0, 1, 1)
    told = {m.recipient for m in mails()[before:]}
    expected = {r.person.email for r in (pw.company, pw.speaker, pw.other_company, pw.startups[2])}
    assert told == expected
    moved = [m for m in mails()[before:] if m.recipient == pw.speaker.person.email][0]
    assert "Déplacé" in moved.body
    assert placement_of(cancelled) is None
    # Publishing again tells nobody.
    assert publishing.publish(pw.event, actor_id=None).num_people == 0


def test_publishing_is_refused_when_other_routes_were_published_since(pw):
    from app.demonstrator.plans import editing as plan_editing, planning
    other = planning.request_plan(pw.event, planning.PlanRequest(time_limit=1), actor_id=None, background=False)
    plan_editing.publish(other, actor_id=None, notify_people=False)
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        publishing.publish(pw.event, actor_id=None)
    assert refused.value.code == "routes_changed"
    assert db.session.scalar(select(func.count()).select_from(MeetingPlacement).where(
        MeetingPlacement.published_starts_at.is_not(None))) == 0


def test_a_stand_meeting_moved_on_the_plans_page_is_published_at_its_visits_new_time(pw):
    from datetime import timedelta

    from app.demonstrator.plans import editing as plan_editing
    from app.demonstrator.plans.planning import PlanningError
    plan = routes_plan(pw.event)
    visit = next(v for v in plan.visits if v.visitor_key == f"r{pw.mayor.id}" and v.stand_key == "A1")
    first = visit.starts_at
    for minutes in range(-60, 90, 5):
        try:
            plan_editing.move_visit(plan, visit.id, starts_at=visit.starts_at + timedelta(minutes=minutes),
                                    actor_id=None)
        except PlanningError:
            continue
        if minutes:
            break
    db.session.expire_all()
    moved = db.session.get(type(visit), visit.id)
    publishing.publish(pw.event, actor_id=None)
    stand = placement_of(pw.meetings["stand_mayor"])
    assert moved.starts_at != first and stand.published_starts_at == moved.starts_at


def test_a_published_meeting_that_loses_its_place_is_announced_as_to_be_rescheduled_not_cancelled(pw):
    publishing.publish(pw.event, actor_id=None)
    before = len(mails())
    meeting = placement_of(pw.meetings["company_speaker"])
    meeting.starts_at = meeting.ends_at = meeting.table_id = None
    meeting.unplaced = "no_common_slot"
    db.session.commit()
    found = publishing.publish(pw.event, actor_id=None)
    assert (found.count("unplaced"), found.count("cancelled")) == (1, 0)
    told = [m for m in mails()[before:] if m.recipient == pw.speaker.person.email]
    assert len(told) == 1 and "Plus programmée" in told[0].body and "Annulée" not in told[0].body
    assert pw.meetings["company_speaker"].status is RequestStatus.ACCEPTED


def test_publishing_a_draft_that_no_longer_holds_is_refused_naming_who_would_be_in_two_places(pw):
    meeting = placement_of(pw.meetings["company_speaker"])
    # Since the placement, the speaker's side brought along an official who attends another day only.
    meeting.request.participants.append(MeetingParticipant(registration_id=pw.absent.id, side=Side.RECIPIENT))
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        publishing.publish(pw.event, actor_id=None)
    assert refused.value.code == "draft_clash"
    assert pw.absent.person.full_name in refused.value.params["reason"]
    db.session.expire_all()
    assert placement_of(pw.meetings["company_speaker"]).published_at is None and mails() == []
    # Placing again moves that meeting where all of them can be, and the draft publishes.
    placing.place_all(pw.event, time_limit=2, actor_id=None)
    assert publishing.publish(pw.event, actor_id=None).count("new") >= 5


def test_a_table_meeting_whose_table_was_deleted_stops_the_publication(pw):
    meeting = placement_of(pw.meetings["company_speaker"])
    meeting.table_id = None
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        publishing.publish(pw.event, actor_id=None)
    assert "a perdu sa table" in refused.value.params["reason"]
