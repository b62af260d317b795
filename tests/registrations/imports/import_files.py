"""Attendee files in every shape, for the import tests and the benchmark."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from app.events.models import CategoryCode
from app.extensions import db
from app.registrations.services import RegistrationInput, register

HEADER_EN = ["email", "first_name", "last_name", "category", "organisation", "job_title", "country", "mandate",
             "territory", "themes", "days", "delegation", "status", "pitch"]
HEADER_FR = ["Courriel", "Prénom", "Nom", "Catégorie", "Organisation", "Fonction", "Pays", "Mandat", "Territoire",
             "Thèmes", "Jours", "Délégation", "Statut", "Pitch"]

#: Five good rows with accents, in the shape of HEADER_EN / HEADER_FR.
GOOD_ROWS = [
    ["hélène.dupré@nevers.fr", "Hélène", "Dupré", "Élue", "", "", "France", "Maire", "Nevers", "mobilite|sante",
     "", "Ville de Nevers", "confirmé", ""],
    ["francois.lefevre@nevers.fr", "François", "Lefèvre", "élu", "", "", "FR", "Adjoint au maire", "Nevers", "",
     "2027-06-02", "Ville de Nevers", "", ""],
    ["genevieve.cote@trois-rivieres.ca", "Geneviève", "Côté", "Décideur", "Ville de Trois-Rivières",
     "Directrice générale", "Québec", "", "", "Énergie", "02/06/2027 2027-06-03", "", "en attente", ""],
    ["ines@capteo.example", "Inès", "Benali", "Startup / exposant", "Captéo", "Fondatrice", "Belgique", "", "",
     "", "", "", "", "Capteurs de stationnement"],
    ["noel.garcon@example.org", "Noël", "Garçon", "Visitor", "", "", "", "", "", "", "", "", "waitlisted", ""],
]


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8-sig",
              header: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header or HEADER_EN)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER_EN)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_quietly(event, email: str, **fields):
    """A registration made outside the import (no e-mail: the import tests do not need the mail templates)."""
    data = RegistrationInput(category=fields.pop("category", CategoryCode.VISITEUR), email=email,
                             first_name=fields.pop("first_name", "Léa"), last_name=fields.pop("last_name", "Martin"),
                             days=fields.pop("days", [event.starts_on]), **fields)
    registration = register(event, data, source="test", notify=False)
    db.session.commit()
    return registration
