"""The words an attendee file may use: column names, categories, mandates, statuses, yes and no.

Everything is compared after `normalise` (case, accents and punctuation aside), so one
spelling per word is enough here.
"""
from __future__ import annotations

import re
import unicodedata

from app.events.models import CategoryCode
from app.registrations.models import Mandate, RegistrationStatus


def normalise(text: object) -> str:
    """Lower case, no accents, words separated by single spaces: how labels are compared."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# --- The columns --------------------------------------------------------------------------------------------

#: Canonical column -> header names accepted for it (compared after `normalise`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "e mail", "mail", "courriel", "adresse e-mail", "adresse email", "adresse courriel"),
    "first_name": ("first_name", "first name", "firstname", "given name", "prénom", "prenom"),
    "last_name": ("last_name", "last name", "lastname", "surname", "family name", "nom", "nom de famille"),
    "category": ("category", "catégorie", "categorie", "type", "profil"),
    "organisation": ("organisation", "organization", "organisme", "structure", "société", "societe", "entreprise",
                     "startup", "company"),
    "job_title": ("job_title", "job title", "position", "fonction", "poste"),
    "phone": ("phone", "telephone", "téléphone", "tel", "tél", "mobile", "portable"),
    "country": ("country", "pays"),
    "mandate": ("mandate", "mandat"),
    "mandate_title": ("mandate_title", "mandate title", "titre du mandat", "intitulé du mandat"),
    "territory": ("territory", "territoire", "collectivité", "collectivite", "commune", "ville"),
    "population": ("population",),
    "themes": ("themes", "thèmes", "theme", "thème", "thématiques", "thematiques", "interests", "intérêts"),
    "days": ("days", "jours", "day", "jour", "dates"),
    "delegation": ("delegation", "délégation"),
    "status": ("status", "statut", "état", "etat"),
    "pitch": ("pitch", "innovation", "description"),
    "website": ("website", "site", "site web", "site internet", "url"),
    "consent_directory": ("consent_directory", "consent directory", "annuaire", "consentement annuaire",
                          "directory"),
    "consent_share_contact": ("consent_share_contact", "consent share contact", "partage contact",
                              "partage des coordonnées", "consentement partage", "share contact"),
    "locale": ("locale", "language", "langue"),
}
REQUIRED_COLUMNS = ("email", "first_name", "last_name", "category")
#: What the upload page and the messages list as the expected header.
EXPECTED_COLUMNS = ("email", "first_name", "last_name", "category", "organisation", "job_title", "phone", "country",
                    "mandate", "territory", "themes", "days", "delegation", "status", "pitch", "consent_directory",
                    "consent_share_contact")
HEADER_LOOKUP = {normalise(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
MAX_LENGTHS = {"email": 254, "first_name": 100, "last_name": 100, "organisation": 200, "job_title": 200,
               "phone": 40, "mandate_title": 120, "territory": 200, "delegation": 200, "pitch": 800, "website": 300}

# --- The values ---------------------------------------------------------------------------------------------

CATEGORY_ALIASES: dict[CategoryCode, tuple[str, ...]] = {
    CategoryCode.ELU: ("elu", "élu", "élue", "élus", "elected official", "elected", "official", "élu local"),
    CategoryCode.DECIDEUR: ("decideur", "décideur", "décideuse", "decision maker", "décideur public"),
    CategoryCode.STARTUP: ("startup", "start-up", "startup / exposant", "startup exposant", "exposant",
                           "startup / exhibitor", "exhibitor"),
    CategoryCode.ENTREPRISE: ("entreprise", "company", "partenaire", "partner"),
    CategoryCode.INTERVENANT: ("intervenant", "intervenante", "speaker", "orateur", "oratrice"),
    CategoryCode.PRESSE: ("presse", "press", "journaliste", "journalist", "média", "media"),
    CategoryCode.VISITEUR: ("visiteur", "visiteuse", "visitor", "public"),
}
CATEGORY_LOOKUP = {normalise(a): code for code, aliases in CATEGORY_ALIASES.items() for a in aliases}

MANDATE_ALIASES: dict[Mandate, tuple[str, ...]] = {
    Mandate.MAIRE: ("maire", "mayor", "mairesse", "maire de commune", "maire d'arrondissement"),
    Mandate.MAIRE_ADJOINT: ("maire_adjoint", "maire adjoint", "maire adjointe", "adjoint au maire",
                            "adjointe au maire", "adjoint", "adjointe", "premier adjoint", "première adjointe",
                            "deputy mayor"),
    Mandate.CONSEILLER_MUNICIPAL: ("conseiller_municipal", "conseiller municipal", "conseillère municipale",
                                   "municipal councillor"),
    Mandate.PRESIDENT_INTERCO: ("president_interco", "président d'interco", "présidente d'interco",
                                "président de l'intercommunalité", "présidente de l'intercommunalité",
                                "président d'epci", "présidente d'epci", "président de communauté",
                                "président de la communauté", "président de la communauté d'agglomération",
                                "président de la communauté de communes", "president of an intermunicipal body"),
    Mandate.CONSEILLER_COMMUNAUTAIRE: ("conseiller_communautaire", "conseiller communautaire",
                                       "conseillère communautaire", "intermunicipal councillor"),
    Mandate.CONSEILLER_DEPARTEMENTAL: ("conseiller_departemental", "conseiller départemental",
                                       "conseillère départementale", "departmental councillor"),
    Mandate.CONSEILLER_REGIONAL: ("conseiller_regional", "conseiller régional", "conseillère régionale",
                                  "regional councillor"),
    Mandate.DEPUTE: ("depute", "député", "députée", "member of parliament", "mp"),
    Mandate.SENATEUR: ("senateur", "sénateur", "sénatrice", "senator"),
    Mandate.PRESIDENT_REGION: ("president_region", "président de conseil régional", "présidente de conseil régional",
                               "président de région", "présidente de région", "président du conseil régional",
                               "présidente du conseil régional", "president of a regional council"),
    Mandate.BOURGMESTRE: ("bourgmestre", "burgomaster"),
    Mandate.ECHEVIN: ("echevin", "échevin", "échevine", "alderman", "alderwoman"),
    Mandate.PREFET: ("prefet", "préfet", "préfète", "prefect", "préfet de mrc", "préfète de mrc"),
    Mandate.GOUVERNEUR: ("gouverneur", "gouverneure", "governor"),
    Mandate.AUTRE: ("autre", "other", "other mandate", "autre mandat"),
}
MANDATE_LOOKUP = {normalise(a): m for m, aliases in MANDATE_ALIASES.items() for a in aliases}

STATUS_ALIASES: dict[RegistrationStatus, tuple[str, ...]] = {
    RegistrationStatus.CONFIRMED: ("confirmed", "confirmé", "confirmée", "confirme", "validé", "validée", "ok"),
    RegistrationStatus.PENDING: ("pending", "pending approval", "en attente", "en attente de validation",
                                 "à valider"),
    RegistrationStatus.WAITLISTED: ("waitlisted", "waiting list", "liste d'attente", "en liste d'attente"),
}
STATUS_LOOKUP = {normalise(a): s for s, aliases in STATUS_ALIASES.items() for a in aliases}

#: Extra country names on top of the official French and English ones.
COUNTRY_EXTRA_NAMES = {"quebec": "CA", "wallonie": "BE", "bruxelles": "BE", "suisse romande": "CH",
                       "rdc": "CD", "rd congo": "CD", "cote divoire": "CI", "cote d ivoire": "CI"}

TRUE_WORDS = {"yes", "y", "oui", "o", "1", "true", "vrai", "x"}
FALSE_WORDS = {"no", "n", "non", "0", "false", "faux", ""}
