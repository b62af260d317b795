"""Curated material for the demo edition: names, places and organisations (startup pitches are in pitches.py).

Everything here is fictional people in real places: the cities and their populations are real
(rounded), the people are not. E-mail domains use the `.demo` suffix, which no one can receive
mail at, so approving a demo registration can never write to a real person.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """One of the 11 countries of the summit (Québec counts apart from the rest of Canada)."""

    label: str
    code: str  # ISO 3166-1 alpha-2, as stored on people and organisations
    names: str  # key into NAMES
    weight: int  # share of the non-official attendees
    city_word: str  # how a city is called in an organisation's name
    #: Local titles, "masculine|feminine" (see `gendered`): a mayor, a mayor's deputy (none in
    #: Canadian councils), a councillor.
    mayor_title: str
    deputy_title: str = "Adjoint au maire délégué|Adjointe au maire déléguée"
    councillor_title: str = "Conseiller municipal|Conseillère municipale"


COMMUNAL = "Conseiller communal|Conseillère communale"
ECHEVIN = "Échevin délégué|Échevine déléguée"
COUNTRIES = {
    "France": Country("France", "FR", "fr", 55, "Ville de", "Maire"),
    "Québec": Country("Québec", "CA", "qc", 15, "Ville de", "Maire|Mairesse", ""),
    "Belgique": Country("Belgique", "BE", "be", 6, "Ville de", "Bourgmestre", ECHEVIN, COMMUNAL),
    "Suisse": Country("Suisse", "CH", "ch", 4, "Ville de", "Syndic|Syndique",
                      "Municipal délégué|Municipale déléguée", COMMUNAL),
    "Maroc": Country("Maroc", "MA", "ma", 4, "Commune de",
                     "Président du conseil communal|Présidente du conseil communal",
                     "Vice-président du conseil communal délégué|Vice-présidente du conseil communal déléguée",
                     COMMUNAL),
    "Sénégal": Country("Sénégal", "SN", "sn", 3, "Commune de", "Maire"),
    "Côte d'Ivoire": Country("Côte d'Ivoire", "CI", "ci", 3, "Commune de", "Maire"),
    "Tunisie": Country("Tunisie", "TN", "tn", 3, "Municipalité de", "Maire"),
    "Cameroun": Country("Cameroun", "CM", "cm", 2, "Commune de", "Maire"),
    "Luxembourg": Country("Luxembourg", "LU", "lu", 2, "Ville de", "Bourgmestre", ECHEVIN, COMMUNAL),
    "Canada (hors Québec)": Country("Canada (hors Québec)", "CA", "qc", 3, "Ville de", "Maire|Mairesse", ""),
}


@dataclass(frozen=True)
class City:
    name: str
    country: str  # a key of COUNTRIES
    population: int
    region: str  # département, province, canton...
    has_delegation: bool


def _cities(country: str, rows: str, delegation: bool) -> list[City]:
    cities = []
    for row in rows.strip().splitlines():
        name, population, region = (part.strip() for part in row.split(";"))
        cities.append(City(name, country, int(population), region, delegation))
    return cities


#: Cities sending a delegation of officials (the summit's usual partners), then other cities.
CITIES = [
    *_cities("France", """
        Nevers; 33000; Nièvre
        Lourdes; 13200; Hautes-Pyrénées
        Beauvais; 56000; Oise
        Lunéville; 17500; Meurthe-et-Moselle
        Vierzon; 25700; Cher
        Châteauroux; 43000; Indre
        Moulins; 19500; Allier
        Auxerre; 34000; Yonne
        Cahors; 19400; Lot
        Saint-Dié-des-Vosges; 19500; Vosges""", True),
    *_cities("Québec", """
        Shawinigan; 50000; Mauricie
        Thetford Mines; 25700; Chaudière-Appalaches
        Drummondville; 79000; Centre-du-Québec
        Victoriaville; 48000; Centre-du-Québec
        Rimouski; 49000; Bas-Saint-Laurent""", True),
    *_cities("Belgique", "Mons; 96000; Hainaut\nNamur; 112000; Namur", True),
    *_cities("Suisse", "Yverdon-les-Bains; 31000; Vaud", True),
    *_cities("Maroc", "Kénitra; 430000; Rabat-Salé-Kénitra", True),
    *_cities("Sénégal", "Saint-Louis; 255000; Saint-Louis", True),
    *_cities("Côte d'Ivoire", "Bouaké; 740000; Gbêkê", True),
    *_cities("Tunisie", "Sousse; 270000; Sousse", True),
    *_cities("Cameroun", "Bafoussam; 350000; Ouest", True),
    *_cities("Luxembourg", "Esch-sur-Alzette; 37000; Esch-sur-Alzette", True),
    *_cities("Canada (hors Québec)", "Moncton; 79000; Nouveau-Brunswick", True),
    *_cities("France", """
        Alençon; 26000; Orne
        Périgueux; 30000; Dordogne
        Montluçon; 34000; Allier
        Bourges; 64000; Cher
        Blois; 46000; Loir-et-Cher
        Agen; 33000; Lot-et-Garonne
        Épinal; 31000; Vosges
        Chartres; 38500; Eure-et-Loir
        Niort; 59000; Deux-Sèvres
        Albi; 49000; Tarn
        Quimper; 63000; Finistère
        Saint-Brieuc; 44000; Côtes-d'Armor
        Laval; 50000; Mayenne
        Mâcon; 34000; Saône-et-Loire
        Roanne; 34000; Loire
        Tarbes; 41000; Hautes-Pyrénées
        Vichy; 25000; Allier
        Dole; 23500; Jura
        Rodez; 24500; Aveyron
        Saumur; 26500; Maine-et-Loire
        Château-Thierry; 14500; Aisne
        Fécamp; 18500; Seine-Maritime
        Bar-le-Duc; 15000; Meuse
        Guéret; 13000; Creuse""", False),
    *_cities("Québec", """
        Saint-Hyacinthe; 57000; Montérégie
        Granby; 70000; Estrie
        Rouyn-Noranda; 42000; Abitibi-Témiscamingue
        Sept-Îles; 24500; Côte-Nord
        Alma; 30800; Saguenay–Lac-Saint-Jean
        Joliette; 21000; Lanaudière""", False),
    *_cities("Canada (hors Québec)", "Edmundston; 16500; Nouveau-Brunswick\nDieppe; 28000; Nouveau-Brunswick\n"
                                     "Hawkesbury; 10200; Ontario", False),
    *_cities("Belgique", "Arlon; 30000; Luxembourg belge\nTournai; 69000; Hainaut\nDinant; 13500; Namur", False),
    *_cities("Suisse", "Neuchâtel; 45000; Neuchâtel\nSion; 35000; Valais\nDelémont; 12500; Jura", False),
    *_cities("Maroc", "Béni Mellal; 190000; Béni Mellal-Khénifra\nTétouan; 380000; Tanger-Tétouan-Al Hoceïma", False),
    *_cities("Sénégal", "Ziguinchor; 205000; Ziguinchor\nThiès; 320000; Thiès", False),
    *_cities("Côte d'Ivoire", "Yamoussoukro; 360000; Yamoussoukro\nSan-Pédro; 260000; San-Pédro", False),
    *_cities("Tunisie", "Bizerte; 140000; Bizerte\nKairouan; 190000; Kairouan", False),
    *_cities("Cameroun", "Dschang; 120000; Ouest\nGaroua; 440000; Nord", False),
    *_cities("Luxembourg", "Differdange; 29000; Esch-sur-Alzette\nDudelange; 22000; Esch-sur-Alzette", False),
]


def _pool(first_f: str, first_m: str, last: str) -> dict[str, list[str]]:
    return {"f": first_f.split(","), "m": first_m.split(","), "last": last.split(",")}


#: First names (female, male) and last names; a comma separates entries since names have spaces.
NAMES = {
    "fr": _pool(
        "Camille,Léa,Manon,Chloé,Emma,Sophie,Nathalie,Isabelle,Claire,Julie,Céline,Anne,Hélène,Émilie,Mathilde,"
        "Pauline,Sandrine,Valérie,Agnès,Béatrice,Aurélie,Élodie,Marion,Laure,Cécile,Juliette,Margaux,Inès,Noémie,"
        "Christine,Sylvie,Florence,Virginie,Géraldine,Delphine",
        "Thomas,Nicolas,Julien,Pierre,Antoine,Mathieu,Laurent,François,Olivier,Stéphane,Jérôme,Guillaume,Benoît,"
        "Sébastien,Christophe,Éric,Philippe,Hugo,Lucas,Maxime,Alexandre,Romain,Vincent,Jean-Marc,Jean-Luc,Frédéric,"
        "Gaël,Loïc,Yannick,Arnaud,Théo,Bertrand,Hervé,Régis,Denis",
        "Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,Laurent,Lefèvre,Michel,Garcia,"
        "David,Bertrand,Roux,Vincent,Fournier,Morel,Girard,André,Mercier,Dupont,Lambert,Bonnet,François,Martinez,"
        "Legrand,Garnier,Faure,Rousseau,Blanc,Guérin,Muller,Henry,Roussel,Nicolas,Perrin,Morin,Mathieu,Clément,"
        "Gauthier,Dumont,Lopez,Fontaine,Chevalier,Robin,Masson,Sanchez,Gérard,Nguyen,Boyer,Denis,Lemaire,Duval,"
        "Joly,Gautier,Roger,Roche,Roy,Noël,Meyer,Lucas,Meunier,Jean,Perez,Marchand,Dufour,Blanchard,Barbier,Brun,"
        "Dumas,Brunet,Schmitt,Leroux,Colin,Fernandez,Renaud,Arnaud,Giraud,Aubert,Pelletier,Lemoine,Rivière,Bouvier,"
        "Carpentier,Chauvin,Tessier,Besnard,Prévost,Lebrun,Delorme,Charpentier,Benoît,Collet,Huet,Maréchal"),
    "qc": _pool(
        "Marie-Ève,Geneviève,Isabelle,Mélanie,Josée,Catherine,Annie,Julie,Nathalie,Valérie,Marie-Claude,Sonia,"
        "Chantal,Karine,Audrey,Émilie,Véronique,Marie-Josée,Stéphanie,Caroline,Maude,Roxanne,Andrée-Anne",
        "Jean-François,Martin,Sylvain,Patrick,Éric,Stéphane,Mathieu,Simon,François,Daniel,Marc-André,Sébastien,"
        "Luc,Guy,Réjean,Gilles,Jocelyn,Alain,Pierre-Luc,Maxime,Étienne,Frédéric,Yves",
        "Tremblay,Gagnon,Roy,Côté,Bouchard,Gauthier,Morin,Lavoie,Fortin,Gagné,Ouellet,Pelletier,Bélanger,Lévesque,"
        "Bergeron,Leblanc,Paquette,Girard,Simard,Boucher,Caron,Beaulieu,Cloutier,Dubé,Poirier,Fournier,Lapointe,"
        "Leclerc,Lefebvre,Poulin,Thibault,St-Pierre,Nadeau,Martel,Gilbert,Hébert,Bédard,Desjardins,Lachance,"
        "Savard,Bilodeau,Vachon,Grenier,Landry,Arsenault,Cormier,Doucet,Thériault,Richard,Robichaud"),
    "be": _pool(
        "Nathalie,Isabelle,Sophie,Valérie,Anne-Catherine,Marie,Charlotte,Laurence,Véronique,Aurore,Céline,Delphine",
        "Jean-Pierre,Philippe,Benoît,Michel,Olivier,Didier,Christophe,Thierry,Pascal,Quentin,Maxime,Grégory",
        "Peeters,Dubois,Lambert,Dupont,Lejeune,Martin,Simon,Laurent,Renard,Leclercq,Gilson,Collignon,Jacquet,"
        "Wauters,Dethier,Lemaire,Mathieu,Delvaux,Hennuy,Pirard"),
    "ch": _pool(
        "Nathalie,Sandrine,Anne-Laure,Christelle,Corinne,Valérie,Mélanie,Sophie,Joëlle,Fabienne",
        "Pierre-Alain,Jean-Daniel,Olivier,Stéphane,Yves,Laurent,Cédric,Pascal,Nicolas,Grégoire",
        "Favre,Rochat,Gay,Bonvin,Perret,Jaquet,Monnier,Mottier,Cuendet,Bovet,Rey,Clerc,Berset,Pittet,Vuilleumier,"
        "Chappuis,Dubois,Rossier"),
    "lu": _pool(
        "Anne,Nathalie,Carole,Sandra,Claudine,Martine,Tessy,Lynn",
        "Marc,Luc,Claude,Jean,Georges,Laurent,Patrick,Serge",
        "Schmit,Weber,Muller,Wagner,Hoffmann,Reuter,Thill,Kieffer,Schroeder,Klein,Hansen,Becker,Meyers,Kremer"),
    "ma": _pool(
        "Fatima,Khadija,Amina,Nadia,Salma,Meryem,Houda,Imane,Zineb,Leïla,Samira,Hanane",
        "Mohamed,Youssef,Ahmed,Karim,Mehdi,Rachid,Hicham,Omar,Abdelkader,Said,Anas,Driss",
        "Benali,El Amrani,Alaoui,Bennani,Tazi,Berrada,El Idrissi,Chraibi,Benjelloun,Lahlou,Ouazzani,El Fassi,"
        "Benkirane,Fassi-Fihri,Ziani"),
    "tn": _pool(
        "Amel,Sonia,Ines,Rim,Olfa,Salma,Nour,Hela,Mouna,Yosra",
        "Mohamed,Ahmed,Slim,Karim,Sami,Walid,Hichem,Anis,Mehdi,Bilel",
        "Ben Salah,Trabelsi,Gharbi,Jebali,Mansouri,Ben Ali,Hammami,Ayari,Bouaziz,Chaabane,Dridi,Jaziri,Mejri,Khelifi"),
    "sn": _pool(
        "Aminata,Fatou,Awa,Ndèye,Mariama,Khady,Aïssatou,Coumba,Binta,Astou,Rokhaya",
        "Mamadou,Cheikh,Ousmane,Moussa,Abdoulaye,Ibrahima,Modou,Pape,Babacar,Alioune,Serigne",
        "Diop,Ndiaye,Fall,Sow,Diallo,Sarr,Gueye,Faye,Ba,Niang,Mbaye,Cissé,Thiam,Seck,Kane,Sy,Diouf"),
    "ci": _pool(
        "Aya,Adjoua,Akissi,Mariam,Affoué,Amenan,Christelle,Ruth,Nadège,Estelle",
        "Koffi,Yao,Kouadio,Serge,Jean-Baptiste,Didier,Arsène,Souleymane,Brice,Hermann",
        "Kouassi,Koné,Kouamé,Yao,Konan,Ouattara,Touré,Bamba,N'Guessan,Coulibaly,Kouadio,Traoré,Aka,Diabaté,Yapi"),
    "cm": _pool(
        "Brigitte,Solange,Martine,Pauline,Josiane,Rose,Carine,Viviane,Odile,Sandrine",
        "Jean-Pierre,Paul,Hervé,Blaise,Emmanuel,Joseph,Roger,Alain,Célestin,Armand",
        "Nkoulou,Tchoumi,Fotso,Kamga,Nguema,Mbarga,Tchakounté,Fouda,Ngono,Kenfack,Tagne,Djoumessi,Mbappé,Essomba"),
}

#: Webmail domains per name pool, for people writing from a personal address.
WEBMAIL = {
    "fr": ["orange.demo", "laposte.demo", "free.demo", "wanadoo.demo"], "qc": ["videotron.demo", "sympatico.demo"],
    "be": ["skynet.demo", "proximus.demo"], "ch": ["bluewin.demo"], "lu": ["pt.demo"], "ma": ["menara.demo"],
    "tn": ["topnet.demo"], "sn": ["orange-sn.demo"], "ci": ["aviso.demo"], "cm": ["camtel.demo"],
}

#: Job titles of elected officials (masculine, feminine); a mayor's title is the country's own word.
ELECTED_JOB = {
    "president_interco": ("Président de l'agglomération", "Présidente de l'agglomération"),
    "conseiller_communautaire": ("Conseiller communautaire", "Conseillère communautaire"),
    "conseiller_departemental": ("Conseiller départemental", "Conseillère départementale"),
    "conseiller_regional": ("Conseiller régional", "Conseillère régionale"),
}

ADJOINT_PORTFOLIOS = [
    "à l'urbanisme", "aux mobilités", "au commerce et à l'attractivité", "à la transition écologique",
    "au numérique", "à la santé", "à la culture et au patrimoine", "à la jeunesse", "aux finances",
    "à la participation citoyenne", "à la tranquillité publique", "au tourisme",
]

#: Job titles are "masculine|feminine" where French marks the gender (see `gendered`).
CITY_STAFF_TITLES = [
    "Directeur général des services|Directrice générale des services",
    "Directeur général adjoint|Directrice générale adjointe",
    "Directeur des services techniques|Directrice des services techniques",
    "Directeur de l'urbanisme|Directrice de l'urbanisme", "Chargé de mission ville intelligente|Chargée de mission "
    "ville intelligente", "Directeur de cabinet|Directrice de cabinet", "Responsable du développement économique",
    "Chef de projet Action cœur de ville|Cheffe de projet Action cœur de ville",
    "Directeur des systèmes d'information|Directrice des systèmes d'information", "Responsable mobilités",
]

INSTITUTIONS = [
    ("Banque des Territoires", "France"), ("Agence nationale de la cohésion des territoires", "France"),
    ("Cerema", "France"), ("ADEME", "France"), ("Villes de France", "France"),
    ("Région Bourgogne-Franche-Comté", "France"), ("Département de la Nièvre", "France"),
    ("Union des municipalités du Québec", "Québec"),
    ("Ministère des Affaires municipales et de l'Habitation", "Québec"),
    ("Association francophone des municipalités du Nouveau-Brunswick", "Canada (hors Québec)"),
    ("Union des Villes et Communes de Wallonie", "Belgique"), ("Union des villes suisses", "Suisse"),
    ("Agence de développement municipal", "Sénégal"), ("Direction générale des collectivités territoriales", "Maroc"),
    ("Union des villes et communes de Côte d'Ivoire", "Côte d'Ivoire"),
    ("Fédération nationale des villes tunisiennes", "Tunisie"),
    ("Fonds spécial d'équipement et d'intervention intercommunale", "Cameroun"), ("Syvicol", "Luxembourg"),
]
INSTITUTION_TITLES = ["Directeur territorial|Directrice territoriale", "Chargé d'affaires|Chargée d'affaires",
                      "Directeur des programmes|Directrice des programmes", "Conseiller innovation|Conseillère "
                      "innovation", "Responsable des partenariats", "Délégué régional|Déléguée régionale"]

COMPANIES = [
    ("Réseaux Loire Énergie", "France"), ("Signalis Mobilier Urbain", "France"), ("Bâtir Centre", "France"),
    ("Lumivia Éclairage public", "France"), ("Groupe Habitat Val de Loire", "France"),
    ("Numéricité Conseil", "France"), ("Aquaterre Services", "France"), ("Mobilicentre", "France"),
    ("Cabinet Urba & Territoires", "France"), ("Compagnie des Parkings du Centre", "France"),
    ("Bureau d'études Sillons", "France"), ("Groupe Desrochers Construction", "Québec"),
    ("Ingénierie Saint-Laurent", "Québec"), ("Atlantique Propreté", "Canada (hors Québec)"),
    ("Meuse & Sambre Services", "Belgique"), ("Léman Énergies", "Suisse"), ("Atlas Voirie", "Maroc"),
    ("Sahel Infrastructures", "Sénégal"), ("Lagune Numérique", "Côte d'Ivoire"),
    ("Carthage Smart Services", "Tunisie"), ("Grassfields BTP", "Cameroun"), ("Lëtz Mobility", "Luxembourg"),
]
COMPANY_TITLES = ["Directeur commercial collectivités|Directrice commerciale collectivités",
                  "Responsable grands comptes secteur public", "Chef de projet ville intelligente|Cheffe de projet "
                  "ville intelligente", "Directeur du développement|Directrice du développement",
                  "Ingénieur d'affaires|Ingénieure d'affaires"]

MEDIA = [
    ("Le Journal du Centre", "France"), ("La Gazette des communes", "France"), ("Localtis", "France"),
    ("France 3 Bourgogne-Franche-Comté", "France"), ("Acteurs publics", "France"), ("Le Berry républicain", "France"),
    ("Le Nouvelliste", "Québec"), ("Radio-Canada", "Québec"), ("Le Soleil", "Québec"),
    ("RTBF", "Belgique"), ("Le Temps", "Suisse"), ("Le Matin", "Maroc"), ("Le Soleil (Dakar)", "Sénégal"),
    ("Fraternité Matin", "Côte d'Ivoire"), ("La Presse de Tunisie", "Tunisie"), ("Cameroon Tribune", "Cameroun"),
    ("L'essentiel", "Luxembourg"), ("Acadie Nouvelle", "Canada (hors Québec)"),
]
PRESS_TITLES = ["Journaliste", "Rédacteur en chef adjoint|Rédactrice en chef adjointe", "Reporter d'images",
                "Photographe", "Chroniqueur|Chroniqueuse"]

SPEAKER_ORGS = [
    ("Université Laval", "Québec"), ("Sciences Po Urbanisme", "France"), ("Université de Bourgogne", "France"),
    ("Institut Paris Région", "France"), ("Université du Québec à Trois-Rivières", "Québec"),
    ("Université de Mons", "Belgique"), ("EPFL", "Suisse"), ("Université Gaston Berger", "Sénégal"),
    ("Université Cadi Ayyad", "Maroc"), ("Université Alassane Ouattara", "Côte d'Ivoire"),
    ("Université de Sousse", "Tunisie"), ("Université de Dschang", "Cameroun"),
    ("Université du Luxembourg", "Luxembourg"), ("Université de Moncton", "Canada (hors Québec)"),
    ("La Fabrique de la Cité", "France"), ("Observatoire des villes moyennes", "France"),
    ("Institut national de la recherche scientifique", "Québec"), ("Conseil national du numérique", "France"),
]
SPEAKER_TITLES = ["Professeur d'urbanisme|Professeure d'urbanisme", "Chercheur en géographie|Chercheuse en "
                  "géographie", "Économiste", "Directeur de recherche|Directrice de recherche",
                  "Consultant en innovation publique|Consultante en innovation publique", "Architecte-urbaniste",
                  "Sociologue", "Directeur de l'innovation|Directrice de l'innovation",
                  "Expert en données publiques|Experte en données publiques"]

VISITOR_TITLES = ["Étudiant en urbanisme|Étudiante en urbanisme", "Étudiant en master politiques publiques|"
                  "Étudiante en master politiques publiques", "Citoyen engagé|Citoyenne engagée",
                  "Président d'association de quartier|Présidente d'association de quartier",
                  "Commerçant du centre-ville|Commerçante du centre-ville", "Bénévole",
                  "Agent territorial|Agente territoriale", "Retraité|Retraitée"]
STARTUP_LEAD_TITLES = ["Fondateur|Fondatrice", "Président|Présidente", "Cofondateur|Cofondatrice"]
STARTUP_TEAM_TITLES = ["Responsable commercial|Responsable commerciale", "Développeur|Développeuse",
                       "Chargé de projets collectivités|Chargée de projets collectivités", "Directeur technique|"
                       "Directrice technique", "Chef de produit|Cheffe de produit"]


def gendered(title: str, gender: str) -> str:
    """The masculine ('m') or feminine ('f') form of a "masculine|feminine" title."""
    masculine, _, feminine = title.partition("|")
    return (feminine or masculine) if gender == "f" else masculine

#: Startup names are a stem and an ending ("Urba" + "Flux"), drawn without repeats.
STARTUP_STEMS = ["Urba", "Civi", "Mobi", "Éco", "Agora", "Terra", "Hélio", "Cité", "Géo", "Quartier", "Hydro",
                 "Néo", "Verdi", "Kairos", "Parvis", "Lumi", "Bourg", "Rive", "Silva", "Octo"]
STARTUP_ENDINGS = ["Flux", "Lab", "Sens", "Map", "Park", "Move", "Nova", "Verte", "Link", "Data", "Watt",
                   "Tri", "Log", "Pulse", "Scope"]
