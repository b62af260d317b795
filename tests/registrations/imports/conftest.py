"""Fixtures of the attendee import tests."""
from __future__ import annotations

import pytest

from app.jobs.queue import huey


@pytest.fixture(autouse=True)
def inline_jobs():
    """Run queued jobs inside the request, as the foundation's TestingConfig.HUEY_IMMEDIATE intends."""
    previous = huey.immediate
    huey.immediate = True
    yield
    huey.immediate = previous
