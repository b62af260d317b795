"""Display names of registration values, in the visitor's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.registrations.models import Mandate, RegistrationStatus

STATUS_NAMES = {
    RegistrationStatus.PENDING.value: _l("Pending approval"),
    RegistrationStatus.CONFIRMED.value: _l("Confirmed"),
    RegistrationStatus.WAITLISTED.value: _l("Waiting list"),
    RegistrationStatus.CANCELLED.value: _l("Cancelled"),
}

MANDATE_NAMES = {
    Mandate.MAIRE: _l("Mayor"),
    Mandate.MAIRE_ADJOINT: _l("Deputy mayor"),
    Mandate.CONSEILLER_MUNICIPAL: _l("Municipal councillor"),
    Mandate.PRESIDENT_INTERCO: _l("President of an intermunicipal body"),
    Mandate.CONSEILLER_COMMUNAUTAIRE: _l("Intermunicipal councillor"),
    Mandate.CONSEILLER_DEPARTEMENTAL: _l("Departmental councillor"),
    Mandate.CONSEILLER_REGIONAL: _l("Regional councillor"),
    Mandate.DEPUTE: _l("Member of parliament"),
    Mandate.SENATEUR: _l("Senator"),
    Mandate.AUTRE: _l("Other mandate"),
}
