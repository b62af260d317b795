"""Display names of categories, in the visitor's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.events.models import CategoryCode

CATEGORY_LABELS = {
    CategoryCode.ELU: _l("Elected official"),
    CategoryCode.DECIDEUR: _l("Decision maker"),
    CategoryCode.STARTUP: _l("Startup / exhibitor"),
    CategoryCode.ENTREPRISE: _l("Company"),
    CategoryCode.INTERVENANT: _l("Speaker"),
    CategoryCode.PRESSE: _l("Press"),
    CategoryCode.VISITEUR: _l("Visitor"),
}

CATEGORY_BLURBS = {
    CategoryCode.ELU: _l("Mayors, deputy mayors, councillors of a city or territory."),
    CategoryCode.DECIDEUR: _l("Directors and managers of local authorities and public bodies."),
    CategoryCode.STARTUP: _l("Present your innovation at a stand of the demonstrator."),
    CategoryCode.ENTREPRISE: _l("Companies and partners of the summit."),
    CategoryCode.INTERVENANT: _l("You speak in a plenary, a conference or a workshop."),
    CategoryCode.PRESSE: _l("Journalists and media."),
    CategoryCode.VISITEUR: _l("Everyone else interested in the cities of tomorrow."),
}
