"""How the members' pages name standings, population bands and contacts' roles (the French is in the catalog)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.network.models import MembershipStatus

STATUS_LABELS = {MembershipStatus.MEMBER: _l("Member"), MembershipStatus.CANDIDATE: _l("Candidate"),
                 MembershipStatus.LAPSED: _l("Lapsed")}
BAND_LABELS = {"under_20k": _l("Under 20,000 inhabitants"), "20k_50k": _l("20,000 to 50,000 inhabitants"),
               "50k_100k": _l("50,000 to 100,000 inhabitants"), "100k_200k": _l("100,000 to 200,000 inhabitants"),
               "over_200k": _l("Over 200,000 inhabitants")}
ROLE_LABELS = {"official": _l("Official contact"), "staff": _l("Staff contact")}
