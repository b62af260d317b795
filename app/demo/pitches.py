"""Startup pitches of the demo edition, in French and English: real topics of urban innovation."""

#: Pitches per theme, in French and English; {name} is the startup's name. Real topics of urban innovation.
PITCHES = {
    "coeurs-de-ville": [
        ("{name} repère les cellules commerciales vacantes et met en relation propriétaires et porteurs de projet. "
         "Les villes suivent la vacance rue par rue.",
         "{name} spots vacant shops and puts owners in touch with people who have a project. "
         "Cities follow vacancy street by street."),
        ("{name} anime les centres-villes avec une carte-cadeau locale valable chez tous les commerçants de la "
         "commune.",
         "{name} livens up town centres with a local gift card accepted by every shop in town."),
    ],
    "mobilite": [
        ("{name} équipe les places de stationnement de capteurs pour guider les automobilistes vers une place "
         "libre. Moins de tours de pâté de maisons, moins de CO2.",
         "{name} fits parking spaces with sensors that guide drivers to a free space. "
         "Fewer laps around the block, less CO2."),
        ("{name} organise le transport à la demande en zone peu dense : réservation par téléphone ou application, "
         "itinéraires optimisés chaque soir.",
         "{name} runs on-demand transport in sparsely populated areas: booked by phone or app, "
         "routes optimised every evening."),
        ("{name} installe des stations de vélos à assistance électrique en libre-service adaptées aux villes "
         "moyennes.",
         "{name} installs self-service e-bike stations sized for mid-sized cities."),
    ],
    "sante": [
        ("{name} déploie des cabines de téléconsultation dans les mairies et pharmacies des territoires sous-dotés.",
         "{name} sets up telemedicine booths in town halls and pharmacies of areas short of doctors."),
        ("{name} coordonne les professionnels de santé d'un bassin de vie autour d'un agenda partagé.",
         "{name} brings the health professionals of an area together around a shared calendar."),
    ],
    "habitat": [
        ("{name} accompagne les propriétaires dans la rénovation énergétique, du diagnostic aux aides mobilisables. "
         "Un tableau de bord suit les chantiers de la commune.",
         "{name} guides owners through energy renovation, from the audit to the grants available. "
         "A dashboard follows the town's building works."),
        ("{name} remet sur le marché les logements vacants des centres anciens grâce à une plateforme de "
         "gestion locative solidaire.",
         "{name} brings empty homes in old town centres back onto the market through a social letting platform."),
    ],
    "urbanisme": [
        ("{name} produit un jumeau numérique 3D de la ville pour simuler l'impact des projets d'aménagement.",
         "{name} builds a 3D digital twin of the city to simulate the impact of planning projects."),
        ("{name} cartographie les îlots de chaleur urbains et propose des scénarios de végétalisation.",
         "{name} maps urban heat islands and proposes greening scenarios."),
    ],
    "ressources-naturelles": [
        ("{name} détecte les fuites sur les réseaux d'eau potable par capteurs acoustiques. "
         "Jusqu'à 20 % d'eau économisée la première année.",
         "{name} finds leaks in drinking-water networks with acoustic sensors. "
         "Up to 20% of water saved in the first year."),
        ("{name} équipe les bacs de collecte de sondes de remplissage pour optimiser les tournées des "
         "camions-bennes.",
         "{name} fits waste containers with fill-level probes to optimise the bin lorries' rounds."),
    ],
    "energie": [
        ("{name} pilote l'éclairage public à la demande : les lampadaires s'allument au passage des piétons.",
         "{name} runs street lighting on demand: lamps light up as pedestrians pass."),
        ("{name} développe des centrales solaires citoyennes sur les toits des bâtiments publics.",
         "{name} develops community-owned solar plants on the roofs of public buildings."),
    ],
    "donnees-numerique": [
        ("{name} aide les collectivités à ouvrir leurs données et à publier des tableaux de bord lisibles par tous.",
         "{name} helps local authorities open their data and publish dashboards anyone can read."),
        ("{name} propose un portail de démarches en ligne simple pour les communes de moins de 50 000 habitants. "
         "Les agents traitent toutes les demandes au même endroit.",
         "{name} offers a simple online services portal for towns of under 50,000 people. "
         "Staff handle every request in one place."),
    ],
    "commerce": [
        ("{name} offre aux commerçants indépendants une place de marché locale avec retrait en boutique et "
         "livraison à vélo.",
         "{name} gives independent shops a local marketplace with in-store pick-up and delivery by bike."),
        ("{name} mesure la fréquentation piétonne des rues commerçantes sans collecter de données personnelles.",
         "{name} measures footfall in shopping streets without collecting personal data."),
    ],
    "tourisme": [
        ("{name} crée des parcours de visite en réalité augmentée à partir du patrimoine de la ville.",
         "{name} creates augmented-reality tours of the city's heritage."),
        ("{name} fédère l'offre touristique d'un territoire rural dans une application de séjour clé en main.",
         "{name} gathers what a rural area offers visitors into one ready-made holiday app."),
    ],
    "education": [
        ("{name} lutte contre le gaspillage dans les cantines scolaires en prévoyant le nombre de repas au jour "
         "près.",
         "{name} fights waste in school canteens by forecasting the number of meals day by day."),
        ("{name} forme les jeunes aux métiers du numérique dans des ateliers ouverts en quartier prioritaire.",
         "{name} trains young people for digital jobs in open workshops in priority neighbourhoods."),
    ],
    "participation": [
        ("{name} propose une plateforme de budget participatif clé en main : dépôt des idées, vote, suivi des "
         "projets.",
         "{name} offers a ready-made participatory budgeting platform: ideas, votes and project follow-up."),
        ("{name} permet aux habitants de signaler un problème dans l'espace public et d'en suivre la résolution.",
         "{name} lets residents report a problem in a public space and follow how it is fixed."),
    ],
    "securite": [
        ("{name} alerte les habitants en cas d'inondation grâce à des capteurs de niveau des cours d'eau.",
         "{name} warns residents of floods with river-level sensors."),
        ("{name} aide les polices municipales à planifier leurs patrouilles à partir des signalements citoyens.",
         "{name} helps municipal police plan their patrols from residents' reports."),
    ],
    "culture": [
        ("{name} numérise les archives et collections municipales et les rend accessibles en ligne.",
         "{name} digitises municipal archives and collections and puts them online."),
        ("{name} programme des spectacles dans les lieux patrimoniaux inoccupés pour faire revivre les centres "
         "anciens.",
         "{name} stages shows in empty heritage buildings to bring old town centres back to life."),
    ],
}
