"""The names the report gives to outcome kinds and statuses, in the reader's language: the survey's and the
outcome pages' words (app.outcomes.survey_forms), so that a funder reads in the report what people answered."""
from __future__ import annotations

from app.outcomes.models import OutcomeKind, OutcomeStatus
from app.outcomes.survey_forms import KIND_NAMES, STATUS_NAMES


def kind_label(kind: OutcomeKind | str) -> str:
    return str(KIND_NAMES[OutcomeKind(kind)])


def status_label(status: OutcomeStatus | str) -> str:
    return str(STATUS_NAMES[OutcomeStatus(status)])
