"""The names the report gives to outcome kinds and statuses, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.outcomes.models import OutcomeKind, OutcomeStatus

KIND_LABELS = {
    OutcomeKind.FOLLOW_UP: _l("Contact followed up"),
    OutcomeKind.DEMO: _l("Demonstration"),
    OutcomeKind.PILOT: _l("Pilot"),
    OutcomeKind.TENDER: _l("Call for tenders"),
    OutcomeKind.CONTRACT: _l("Contract"),
    OutcomeKind.PARTNERSHIP: _l("Partnership"),
    OutcomeKind.NONE: _l("Nothing came of it"),
}

STATUS_LABELS = {
    OutcomeStatus.PLANNED: _l("Envisaged"),
    OutcomeStatus.IN_PROGRESS: _l("In progress"),
    OutcomeStatus.DONE: _l("Done"),
    OutcomeStatus.ABANDONED: _l("Abandoned"),
}


def kind_label(kind: OutcomeKind | str) -> str:
    return str(KIND_LABELS[OutcomeKind(kind)])


def status_label(status: OutcomeStatus | str) -> str:
    return str(STATUS_LABELS[OutcomeStatus(status)])
