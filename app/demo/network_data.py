"""Curated material for the demo's network (network.py): its themes, its cities and what they say of themselves,
their incubators and third places (their projects are in network_projects_data.py). French first, with English.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The network's themes: code, French, English (the codes of the editions' themes where one matches).
THEMES = [
    ("mobilite", "Mobilité", "Mobility"),
    ("energie", "Énergie", "Energy"),
    ("e-administration", "E-administration", "E-government"),
    ("sante", "Santé", "Health"),
    ("alimentation", "Alimentation", "Food"),
    ("eau-dechets", "Eau et déchets", "Water and waste"),
    ("education", "Éducation", "Education"),
    ("tourisme", "Tourisme", "Tourism"),
    ("securite", "Sécurité", "Safety"),
    ("participation", "Participation citoyenne", "Citizen participation"),
]

#: The demo's network cities: name as in data.CITIES; memberships 2024, 2025, 2026 (M member, C candidate,
#: L lapsed, - none); themes; the city that brought it in (twinning), if any.
CITIES = """
Nevers; MMM; mobilite energie participation
Épinal; MMM; energie eau-dechets tourisme
Vierzon; MMM; mobilite e-administration
Albi; MMM; tourisme mobilite eau-dechets
Cahors; MMM; tourisme alimentation; Albi
Saint-Brieuc; MMM; mobilite sante education
Laval; MMM; e-administration energie education
Dole; -MM; alimentation tourisme; Nevers
Auxerre; MMM; eau-dechets energie
Moulins; -MM; sante participation; Nevers
Beauvais; MMM; mobilite securite
Châteauroux; MML; e-administration sante
Lunéville; -MM; energie participation; Épinal
Saint-Dié-des-Vosges; MMM; education participation; Épinal
Blois; MMM; tourisme mobilite e-administration
Niort; MMM; e-administration securite
Quimper; -MM; eau-dechets alimentation; Saint-Brieuc
Tarbes; ML-; mobilite sante
Guéret; --C; sante alimentation; Moulins
Château-Thierry; -MM; tourisme participation
Rodez; MMM; alimentation energie; Albi
Bar-le-Duc; --C; energie e-administration; Épinal
Shawinigan; MMM; energie education
Drummondville; MMM; mobilite e-administration participation
Saint-Hyacinthe; -MM; alimentation energie; Drummondville
Rimouski; MMM; eau-dechets securite
Victoriaville; MMM; eau-dechets participation; Drummondville
Rouyn-Noranda; -CM; energie securite; Rimouski
Joliette; --C; education tourisme; Shawinigan
Namur; MMM; e-administration mobilite participation
Mons; MMM; tourisme e-administration
Tournai; -MM; eau-dechets tourisme; Mons
Dinant; MML; tourisme securite; Namur
Saint-Louis; MMM; eau-dechets tourisme securite
Thiès; -MM; alimentation eau-dechets; Saint-Louis
Bouaké; MMM; mobilite eau-dechets e-administration
Sousse; MMM; tourisme energie
Kairouan; -CM; tourisme e-administration; Sousse
Bafoussam; MML; alimentation sante
Kénitra; --C; mobilite energie
Yverdon-les-Bains; MMM; energie education
"""


@dataclass(frozen=True)
class ExtraCity:
    """A network city that sent no one to the demo editions (an organisation the demo makes for the network)."""

    name: str            # the city
    organisation: str    # its organisation's name
    country: str         # ISO code
    population: int
    region: str
    memberships: str
    themes: str
    sponsor: str


EXTRA_CITIES = [
    ExtraCity("Châtellerault", "Ville de Châtellerault", "FR", 31_000, "Vienne", "-MM", "mobilite sante", "Niort"),
    ExtraCity("Trois-Rivières", "Ville de Trois-Rivières", "CA", 140_000, "Mauricie", "MMM",
              "e-administration mobilite tourisme", "Shawinigan"),
    ExtraCity("Kindia", "Commune urbaine de Kindia", "GN", 220_000, "Kindia", "--C", "eau-dechets alimentation",
              "Thiès"),
]

#: What a city says of itself, after its figures: (French, English).
SELF_PORTRAITS = [
    ("Ville moyenne au cœur d'un bassin de vie rural, elle mise sur le numérique pour garder ses services "
     "publics proches des habitants.",
     "A mid-sized town at the heart of a rural area, betting on digital tools to keep public services close."),
    ("Ville-centre de son agglomération, elle fait de la transition écologique le fil rouge du mandat.",
     "The central town of its conurbation, making the ecological transition the thread of its term."),
    ("Son programme de revitalisation du centre-ville s'appuie sur les startups du territoire.",
     "Its town-centre revitalisation programme relies on the startups of its territory."),
    ("Ville universitaire, elle ouvre ses services aux expérimentations des jeunes entreprises.",
     "A university town opening its services to young companies' trials."),
    ("Ville touristique, elle cherche à mieux accueillir sans saturer son patrimoine.",
     "A tourist town looking to welcome visitors better without overloading its heritage."),
    ("Engagée dans plusieurs jumelages, elle partage volontiers ce qu'elle a appris.",
     "Twinned with several towns, it readily shares what it has learned."),
]

#: Names of incubators and third places (tiers-lieux), given to cities in turn.
INCUBATORS = ["Pépinière d'entreprises", "Incubateur {de}", "Technopole {de}", "Village by CA"]
THIRD_PLACES = ["La Fabrique", "Le Quai numérique", "La Forge", "L'Atelier partagé", "La Ruche", "Le Hangar",
                "La Coopérative du centre", "Fab lab de la médiathèque"]
