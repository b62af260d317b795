"""Every model module, imported once so that metadata knows all tables."""
from app.accessibility.models import AccessibilityReport  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.auth.models import EventRole, LoginFailure  # noqa: F401
from app.badging.models import BadgeLayoutRow, BadgeToken, CheckIn, PrintRun  # noqa: F401
from app.events.models import Category, Event, Theme  # noqa: F401
from app.jobs.models import Job  # noqa: F401
from app.mail.models import OutboxMessage  # noqa: F401
from app.people.models import Organisation, Person  # noqa: F401
from app.registrations.imports.models import ImportBatch  # noqa: F401
from app.registrations.models import Delegation, Registration  # noqa: F401
from app.program.models import AgendaEntry, FeedToken, ProgramPublication, ProgramSession, Room, RoomAvailability, SessionSpeaker  # noqa: F401
from app.demonstrator.hall.models import Entrance, Hall, Stand, StandBooking, StandClosure, TourSlot  # noqa: F401
from app.demonstrator.wishes.models import AvailabilityChange, RoutingOptOut, Wish  # noqa: F401
from app.demonstrator.plans.models import PlannedVisit, SheetPart, VisitPlan  # noqa: F401
from app.leads.models import Device, Lead, PairingCode, Scan, StandTag  # noqa: F401
from app.outcomes.models import Outcome, SurveyInvitation, SurveyOptOut  # noqa: F401
from app.api.models import ApiToken, IdempotentAnswer, WebhookDelivery, WebhookEndpoint  # noqa: F401
from app.network.models import Consortium, Membership, NetworkCity, NetworkOrganiser, NetworkTheme, Place, Project, ProjectDocument, ProjectPartner, Replication, ReplicationStep  # noqa: F401
from app.network.replication.models import DigestOptOut, DigestSent, WishSuggestionAnswer  # noqa: F401
from app.meetings.requests.models import MeetingCategoryPair, MeetingParticipant, MeetingProfile, MeetingRequest, MeetingSession, MeetingSettings, MeetingTable, MeetingThrottle  # noqa: F401
from app.meetings.placement.models import MeetingMark, MeetingPlacement, PlacementRun  # noqa: F401
from app.meetings.agenda.models import MeetingReminder  # noqa: F401
from app.privacy.subject.models import DataExport  # noqa: F401
