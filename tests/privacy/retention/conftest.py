"""The lead-scanning fixtures (stands, devices, badges), for the `leads` kind."""
from __future__ import annotations

from tests.leads.conftest import make_badge, make_device, make_stand  # noqa: F401  (fixtures)
