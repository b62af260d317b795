"""Who may ask whom, who is open to requests, what each shares, and who acts for whom.

- The organiser's category pairs say which categories may request meetings from which.
- A person is open to requests when her registration is confirmed, she agreed to appear in the list of attendees
  (the consent her registration collects) and she did not opt out of meeting requests. Without a choice of her own
  the directory shows what that consent covers (her name, organisation and category); once she opted in herself,
  with the words of the opt-in saying so, it also shows her position and themes.
- A person acts for her own registration; a delegation's coordinator also acts for her delegation's members.
"""
from __future__ import annotations

from sqlalchemy import and_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.meetings.requests.models import MeetingCategoryPair, MeetingProfile, MeetingSettings
from app.registrations.models import Delegation, Registration, RegistrationStatus


def settings_of(event_id: int) -> MeetingSettings | None:
    return db.session.get(MeetingSettings, event_id)


def category_pairs(event_id: int) -> set[tuple[int, int]]:
    """(from category id, to category id) of the edition."""
    rows = db.session.execute(select(MeetingCategoryPair.from_category_id, MeetingCategoryPair.to_category_id)
                              .where(MeetingCategoryPair.event_id == event_id))
    return {(frm, to) for frm, to in rows}


def requestable_categories(event_id: int, category_id: int) -> set[int]:
    """The categories a person of `category_id` may request meetings from."""
    return {to for frm, to in category_pairs(event_id) if frm == category_id}


def may_request(requester: Registration, recipient: Registration) -> bool:
    return recipient.category_id in requestable_categories(requester.event_id, requester.category_id)


def profile_of(registration: Registration) -> MeetingProfile | None:
    return db.session.get(MeetingProfile, registration.id)


def accepts_requests(registration: Registration, profile: MeetingProfile | None = None) -> bool:
    """Her own choice, else her consent to appear in the list of attendees."""
    profile = profile if profile is not None else profile_of(registration)
    if profile is not None and profile.accepts_requests is not None:
        return profile.accepts_requests
    return bool(registration.consent_directory)


def shares_details(registration: Registration) -> bool:
    """She opted in herself: her position and themes are shown."""
    profile = profile_of(registration)
    return profile is not None and profile.accepts_requests is True


def is_open_to_requests(registration: Registration) -> bool:
    """Confirmed, in the list of attendees (withdrawing that consent takes her out), not opted out; a startup is
    its team lead's registration."""
    return (registration.status == RegistrationStatus.CONFIRMED and bool(registration.consent_directory)
            and registration.team_lead_id is None and accepts_requests(registration))


def open_condition() -> ColumnElement:
    """`is_open_to_requests` as a condition, on a query of Registration outer-joined to MeetingProfile."""
    return and_(Registration.status == RegistrationStatus.CONFIRMED, Registration.consent_directory == true(),
                Registration.team_lead_id.is_(None),
                or_(MeetingProfile.accepts_requests.is_(None), MeetingProfile.accepts_requests == true()))


def shares_details_condition() -> ColumnElement:
    """She opted in herself: her position and themes are shown and searched."""
    return MeetingProfile.accepts_requests == true()


def coordinated_delegation(registration: Registration) -> Delegation | None:
    """The delegation `registration` coordinates, if any."""
    return db.session.scalar(select(Delegation).where(Delegation.coordinator_id == registration.id))


def acts_for(person_id: int, registration: Registration) -> bool:
    """The person herself, or the coordinator of her delegation."""
    if registration.person_id == person_id:
        return True
    delegation = registration.delegation
    coordinator = delegation.coordinator if delegation is not None else None
    return (coordinator is not None and coordinator.person_id == person_id
            and coordinator.status != RegistrationStatus.CANCELLED)


def companions(registration: Registration) -> list[Registration]:
    """Who may come along with `registration`: the confirmed members of her delegation but herself."""
    if registration.delegation is None:
        return []
    return [member for member in registration.delegation.members
            if member.id != registration.id and member.status == RegistrationStatus.CONFIRMED]
