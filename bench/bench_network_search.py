"""The network library's search over 500 cities and 5,000 projects: 200 varied queries (words, prefixes, accents,
filters combined, anonymous and member readers) through the service the search page uses
(`app.network.library.finder`), timed one by one.

    python bench/bench_network_search.py [--cities 500] [--projects 5000] [--queries 200]
                                         [--database-url postgresql://...]

Uses a fresh SQLite file, or the database given (its public schema is emptied first). Prints the time to build
the library, then the median and p95 of the queries in ms (target: under 100 ms median).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from benchlib import fresh_app
from bench_leads import percentile

from app.extensions import db
from app.network.library import finder, search
from app.network.members.standing import POPULATION_BANDS, Reader, current_year
from app.network.models import (BudgetBand, Membership, MembershipStatus, NetworkCity, NetworkTheme, Project,
                                ProjectStatus, Visibility)
from app.people.models import Organisation, OrganisationKind

THEMES = [("mobilite", "Mobilité", "Mobility"), ("energie", "Énergie", "Energy"),
          ("numerique", "Numérique", "Digital"), ("alimentation", "Alimentation", "Food"),
          ("sante", "Santé", "Health"), ("eau", "Eau et assainissement", "Water"),
          ("dechets", "Déchets", "Waste"), ("education", "Éducation", "Education"),
          ("participation", "Participation citoyenne", "Citizen participation"),
          ("securite", "Sécurité", "Safety"), ("tourisme", "Tourisme", "Tourism"),
          ("biodiversite", "Biodiversité", "Biodiversity")]
PLACES = ["Nevers", "Vierzon", "Dole", "Épinal", "Châtellerault", "Bourges", "Auxerre", "Montluçon", "Périgueux",
          "Saint-Brieuc", "Québec", "Trois-Rivières", "Namur", "Liège", "Thiès", "Ziguinchor", "Bouaké", "Sherbrooke"]
COUNTRIES = ["FR"] * 6 + ["CA", "BE", "SN", "CI"]
SUBJECTS_FR = ["Mobilité douce", "Navette autonome", "Éclairage public intelligent", "Chaufferie bois",
               "Cantine bio", "Télémédecine rurale", "Capteurs de qualité de l'air", "Budget participatif",
               "Réseau de chaleur", "Compostage collectif", "Stationnement intelligent", "Vélos en libre-service",
               "Tiers-lieu numérique", "Gestion des déchets", "Récupération d'eau de pluie", "École numérique",
               "Covoiturage domicile-travail", "Panneaux solaires", "Office de tourisme connecté",
               "Vidéoprotection", "Transport à la demande", "Maison de santé", "Jardins partagés"]
SUBJECTS_EN = ["Soft mobility", "Autonomous shuttle", "Smart street lighting", "Wood heating plant",
               "Organic school canteen", "Rural telemedicine", "Air quality sensors", "Participatory budget",
               "District heating", "Community composting", "Smart parking", "Bike sharing", "Digital third place",
               "Waste management", "Rainwater harvesting", "Digital school", "Commuter carpooling",
               "Solar panels", "Connected tourist office", "Video protection", "On-demand transport",
               "Health centre", "Shared gardens"]
SENTENCES_FR = ["La ville a équipé {n} sites en {y} avec une startup rencontrée au sommet.",
                "Les habitants ont été associés dès le début, ce qui a évité bien des conflits.",
                "Le marché public a pris huit mois de plus que prévu.",
                "La consommation d'énergie a baissé de {n} % la première année.",
                "Les agents ont été formés par la startup, puis l'ont remplacée en régie.",
                "Le financement mêlait budget propre, fonds européens FEDER et appel à projets de l'État."]
SENTENCES_EN = ["The city equipped {n} sites in {y} with a startup met at the summit.",
                "Residents were involved from the start, which avoided many disputes.",
                "Energy use fell by {n}% in the first year."]
QUERIES = ["mobilite", "mobil", "MOBILITÉ", "navette autonome", "eclairage", "éclairage public", "chaleur",
           "bois", "cantine bio", "telemedecine", "capteurs air", "budget participatif", "compost", "velo",
           "vélos libre", "tiers lieu", "dechets", "pluie", "ecole numerique", "covoiturage", "solaire",
           "tourisme", "video", "transport demande", "sante", "jardins", "smart", "shuttle", "lighting",
           "heating", "participatory", "nevers", "quebec", "liege", "thies", "feder", "marche public",
           "habitants", "energie", "startup sommet", "agents formes", "conflits", "a", "re", "smart parking",
           "air quality", "zzzz", "mobilite velo", "énergie solaire", "école"]


def populate(app, num_cities: int, num_projects: int, rng: random.Random) -> float:
    started = time.perf_counter()
    with app.app_context():
        themes = [NetworkTheme(code=c, name_fr=fr, name_en=en, position=i) for i, (c, fr, en) in enumerate(THEMES)]
        db.session.add_all(themes)
        cities = []
        for n in range(num_cities):
            organisation = Organisation(name=f"Ville de {rng.choice(PLACES)} {n}", kind=OrganisationKind.COLLECTIVITE,
                                        country=rng.choice(COUNTRIES), population=rng.randint(5_000, 400_000))
            city = NetworkCity(organisation=organisation, region=rng.choice(["Bourgogne", "Grand Est", "Wallonie"]),
                               themes=rng.sample(themes, 3))
            city.memberships.append(Membership(year=current_year(), status=MembershipStatus.MEMBER))
            cities.append(city)
        db.session.add_all(cities)
        db.session.flush()
        statuses, bands, visibilities = list(ProjectStatus), list(BudgetBand), list(Visibility)
        for n in range(num_projects):
            k = rng.randrange(len(SUBJECTS_FR))
            words = {"n": rng.randint(2, 60), "y": rng.randint(2015, 2026)}
            db.session.add(Project(
                city=rng.choice(cities), title_fr=f"{SUBJECTS_FR[k]} {n}",
                title_en=f"{SUBJECTS_EN[k]} {n}" if rng.random() < 0.6 else "",
                summary_fr=" ".join(s.format(**words) for s in rng.sample(SENTENCES_FR, 3)),
                summary_en=" ".join(s.format(**words) for s in rng.sample(SENTENCES_EN, 2)),
                results=rng.choice(SENTENCES_FR).format(**words), lessons_worked=rng.choice(SENTENCES_FR).format(**words),
                status=rng.choice(statuses), budget_band=rng.choice(bands),
                visibility=rng.choices(visibilities, weights=[7, 2, 1])[0], themes=rng.sample(themes, 2)))
            if n % 1000 == 999:
                db.session.flush()
        db.session.flush()
        search.rebuild()
        db.session.commit()
    return time.perf_counter() - started


def queries(rng: random.Random, num: int) -> list[dict]:
    """Varied searches: words alone, words with filters, filters alone, later pages."""
    made = []
    for n in range(num):
        args = {}
        if n % 5 != 4:
            args["q"] = rng.choice(QUERIES)
        if n % 3 == 0:
            args["theme"] = rng.choice(THEMES)[0]
        if n % 4 == 1:
            args["status"] = rng.choice(list(ProjectStatus)).value
        if n % 7 == 2:
            args["country"] = rng.choice(COUNTRIES)
        if n % 6 == 3:
            args["band"] = rng.choice(POPULATION_BANDS)[0]
        if n % 10 == 9:
            args["page"] = str(rng.randint(2, 5))
        made.append(args)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=500)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    if options.database_url:
        os.environ["BENCH_DATABASE_URL"] = options.database_url
    rng = random.Random(28)
    app = fresh_app()
    built = populate(app, options.cities, options.projects, rng)
    member = Reader(is_member=True, city_ids=(1, 2))
    timings, found = [], []
    with app.app_context():
        engine = db.engine.dialect.name
        for n, args in enumerate(queries(rng, options.queries)):
            reader = member if n % 2 else Reader()
            started = time.perf_counter()
            results = finder.run(finder.parse_query(args), reader)
            timings.append((time.perf_counter() - started) * 1000)
            found.append(results.total)
            if os.environ.get("BENCH_VERBOSE"):
                print(f"{timings[-1]:8.1f} ms {results.total:5d} {args}")
            db.session.rollback()
    timings.sort()
    print(f"{engine}: {options.cities} cities, {options.projects} projects built and indexed in {built:.1f} s")
    print(f"{len(timings)} searches (median {statistics.median(found):.0f} projects found): "
          f"median {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
          f"max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
