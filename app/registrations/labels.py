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

#: The kinds of mandate (organisers sort and rank by them), named for both women and men.
MANDATE_NAMES = {
    Mandate.MAIRE: _l("Mayor"),
    Mandate.MAIRE_ADJOINT: _l("Deputy mayor"),
    Mandate.CONSEILLER_MUNICIPAL: _l("Municipal councillor"),
    Mandate.PRESIDENT_INTERCO: _l("President of an intermunicipal body"),
    Mandate.CONSEILLER_COMMUNAUTAIRE: _l("Intermunicipal councillor"),
    Mandate.CONSEILLER_DEPARTEMENTAL: _l("Departmental councillor"),
    Mandate.CONSEILLER_REGIONAL: _l("Regional councillor"),
    Mandate.PRESIDENT_REGION: _l("President of a regional council"),
    Mandate.DEPUTE: _l("Member of parliament"),
    Mandate.SENATEUR: _l("Senator"),
    Mandate.BOURGMESTRE: _l("Burgomaster (Belgium)"),
    Mandate.ECHEVIN: _l("Alderman or alderwoman (Belgium)"),
    Mandate.PREFET: _l("Prefect of a regional county municipality (Québec)"),
    Mandate.GOUVERNEUR: _l("Governor"),
    Mandate.AUTRE: _l("Other mandate"),
}

#: Titles as people write them, offered as suggestions (a person may type any other): feminine and masculine
#: forms, and the words of France, Belgium, Québec and African countries. They are names, not translated.
MANDATE_TITLES = {
    Mandate.MAIRE: ("Maire", "Mairesse", "Maire de commune", "Maire d'arrondissement"),
    Mandate.MAIRE_ADJOINT: ("Adjointe au maire", "Adjoint au maire", "Première adjointe", "Premier adjoint",
                            "Maire adjointe", "Maire adjoint"),
    Mandate.CONSEILLER_MUNICIPAL: ("Conseillère municipale", "Conseiller municipal"),
    Mandate.PRESIDENT_INTERCO: ("Présidente d'intercommunalité", "Président d'intercommunalité",
                                "Présidente de communauté d'agglomération", "Président de communauté d'agglomération"),
    Mandate.CONSEILLER_COMMUNAUTAIRE: ("Conseillère communautaire", "Conseiller communautaire"),
    Mandate.CONSEILLER_DEPARTEMENTAL: ("Conseillère départementale", "Conseiller départemental"),
    Mandate.CONSEILLER_REGIONAL: ("Conseillère régionale", "Conseiller régional"),
    Mandate.PRESIDENT_REGION: ("Présidente de conseil régional", "Président de conseil régional",
                               "Présidente de région", "Président de région"),
    Mandate.DEPUTE: ("Députée", "Député"),
    Mandate.SENATEUR: ("Sénatrice", "Sénateur"),
    Mandate.BOURGMESTRE: ("Bourgmestre",),
    Mandate.ECHEVIN: ("Échevine", "Échevin"),
    Mandate.PREFET: ("Préfète", "Préfet"),
    Mandate.GOUVERNEUR: ("Gouverneure", "Gouverneur"),
    Mandate.AUTRE: (),
}


def mandate_title(registration) -> str:
    """The mandate as printed and shown: the title the person wrote, else the name of its kind; "" for none."""
    if registration.mandate is None:
        return ""
    return registration.mandate_title or str(MANDATE_NAMES[registration.mandate])


def title_suggestions() -> list[str]:
    return [title for titles in MANDATE_TITLES.values() for title in titles]
