import pytest

from tests.meetings.world import build


@pytest.fixture
def world(event, make_registration):
    return build(event, make_registration)
