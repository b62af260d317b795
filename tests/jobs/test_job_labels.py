"""The jobs list in the interface's language (issue 16): each kind named, what a print job is for, its progress
and its result read as sentences, never raw keys such as `visits.plan` or "badges 2 / sheet a4x4"."""
import html as html_text
import re

from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.registrations import delegations
from tests.conftest import login


def _job(event, kind, **fields):
    job = Job(event_id=event.id, kind=kind, **fields)
    db.session.add(job)
    db.session.commit()
    return job


def _cells(html):
    return [html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split(">", 1)[1])).strip())
            for row in html.split("<tr")[2:]]


def test_the_jobs_list_names_each_kind_and_what_a_print_is_for(client, event, make_organiser):
    auxerre = delegations.create_delegation(event, "Délégation d'Auxerre", actor_id=None)
    _job(event, "print_badges", status=JobStatus.RUNNING, progress=0.3, message="12/40",
         params={"selection": {"delegation_id": auxerre.id, "category": "", "new_only": False,
                               "registration_ids": []}, "sheet": "a4x4"})
    _job(event, "print_badges", status=JobStatus.DONE, progress=1.0, message="2/2",
         params={"selection": {"category": "elu", "delegation_id": None, "new_only": True, "registration_ids": []},
                 "sheet": "a6"}, result={"badges": 2, "sheet": "a6"})
    _job(event, "visits.plan", status=JobStatus.DONE, progress=1.0, message="best 17582.0, bound 21943.3",
         params={"plan_id": 999}, result={"plan_id": 999, "version": 3, "visits": 1176, "objective": 17582.0,
                                          "bound": 21943.3})
    _job(event, "import_attendees", status=JobStatus.QUEUED, params={"batch_id": 0})
    login(client, make_organiser(event))
    rows = _cells(client.get(f"/manage/e/{event.slug}/jobs/").get_data(as_text=True))
    assert rows[0].startswith("4 Import de participants") and "Pas encore démarrée." in rows[0]
    assert rows[1].startswith("3 Calcul des parcours de visite") and "visits.plan" not in rows[1]
    assert "bound" not in rows[1] and "borne" not in rows[1]
    assert "au moins 80\u00a0% du meilleur possible" in rows[1].replace(" %", "\u00a0%")  # as the plan page says
    assert "Impression de badges Catégorie : Élu, badges pas encore imprimés · A6, un badge par page" in rows[2]
    assert ("Impression de badges Délégation : Délégation d'Auxerre · A4, quatre badges par feuille avec traits "
            "de coupe") in rows[3]
    assert "Badges générés : 12 sur 40" in rows[3]


def test_a_jobs_result_and_live_status_read_in_the_readers_language(client, event, make_organiser):
    printed = _job(event, "print_badges", status=JobStatus.DONE, progress=1.0, message="2/2",
                   params={"selection": {}, "sheet": "a4x4"}, result={"badges": 2, "sheet": "a4x4"})
    planned = _job(event, "visits.plan", status=JobStatus.DONE, progress=1.0,
                   params={"plan_id": 999}, result={"version": 3, "visits": 1176, "objective": 17582.0,
                                                    "bound": 21943.3})
    login(client, make_organiser(event))
    html = client.get(f"/manage/e/{event.slug}/jobs/{printed.id}").get_data(as_text=True)
    result = html.split('data-testid="job-result">', 1)[1].split("</dl>", 1)[0]
    assert "<dt>Badges imprimés</dt><dd>2</dd>" in result and "a4x4" not in result and "sheet" not in result
    assert "Toutes les inscriptions confirmées" in html
    html = client.get(f"/manage/e/{event.slug}/jobs/{planned.id}").get_data(as_text=True)
    result = html.split('data-testid="job-result">', 1)[1].split("</dl>", 1)[0]
    assert re.search(r"<dt>Visites planifiées</dt><dd>1\s176</dd>", result)
    assert "objective" not in result and "bound" not in result and "borne" not in result
    client.get("/lang/en")
    status = client.get(f"/manage/e/{event.slug}/jobs/{printed.id}.json").get_json()
    assert status["kind_label"] == "Badge printing" and status["status_label"] == "Done"
    assert status["subject"] == "Every confirmed registration · A4, four badges per sheet with cut marks"
