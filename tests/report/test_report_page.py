"""The edition's report page and its downloads: the figures a reader sees, the charts next to their tables, the
PDF's text, the spreadsheet's rows (injection-safe), and refusals of bad parameters."""
import csv
import io
import re
from html import unescape

from openpyxl import load_workbook
from pypdf import PdfReader

from app.demonstrator.realised import report as realised
from app.outcomes.models import OutcomeKind, OutcomeStatus
from tests.report.conftest import add_outcome


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def pdf_text(body: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


def test_the_page_shows_the_figures_in_charts_and_tables(organiser_client, summit, app):
    edition, visits = summit
    organiser_client.get("/lang/en")
    response = organiser_client.get(f"/manage/e/{edition.event.slug}/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    with app.test_request_context():
        totals = realised.report(edition.event).totals
    assert re.search(rf'data-testid="total-planned">{len(visits)}<', html)
    assert re.search(rf'data-testid="total-realised">{totals.realised}<', html) and totals.realised == 2
    assert re.search(rf'data-testid="total-gap">{len(visits) - 2}<', html)
    assert re.search(r'data-testid="total-unplanned">1<', html)
    assert re.search(r'data-testid="total-outcomes">3<', html)
    # Every chart is an image with a name, and a table with a caption and headers gives its figures.
    for key in ("days", "themes", "countries", "categories", "kinds", "statuses", "cities", "startups", "officials"):
        assert f'data-testid="{key}-chart"' in html, key
    assert html.count('role="img"') == 9 and "style=" not in html.split("<main")[1]
    for key in ("days", "themes", "countries", "categories", "kinds", "cities", "startups", "officials"):
        table = html.split(f'data-testid="{key}"')[1].split("</table>")[0]
        assert "<caption" in table and '<th scope="col">' in table and '<th scope="row">' in table, key
    text = _text(html)
    assert "Bourges France 2" in text and "Namur Belgium 1" in text           # cities, most outcomes first
    assert text.index("Bourges France 2") < text.index("Namur Belgium 1")
    assert "Pilot (experiment) 0 1 0 0 1" in text and "Contract 0 0 1 0 1" in text  # kind by status: planned, in progress...
    assert "Belgium" in text and "Elected official" in text and "Decision maker" in text
    assert re.search(r"Startups that met at least 3 officials: \d of 4\.", text)


def test_n_chooses_the_officials_met_and_a_bad_n_is_refused(organiser_client, summit):
    edition, _visits = summit
    url = f"/manage/e/{edition.event.slug}/report"
    organiser_client.get("/lang/en")
    for n in (1, 2):
        html = organiser_client.get(f"{url}?n={n}").get_data(as_text=True)
        histogram = re.findall(r'<tr><th scope="row">(\d+)\+?</th><td class="num">(\d+)</td></tr>',
                               html.split('data-testid="officials"')[1])
        met = sum(int(count) for bucket, count in histogram if int(bucket) >= n)
        assert met >= 1 and sum(int(count) for _b, count in histogram) == 4
        sentence = "official" if n == 1 else "officials"
        assert f"Startups that met at least {n} {sentence}: {met} of 4." in _text(html)
        assert f'value="{n}"' in html
    for bad in ("0", "abc", "101", "-2", "1.5", "9" * 30):
        response = organiser_client.get(f"{url}?n={bad}")
        assert response.status_code == 400, bad
        assert "Officials met (n): give a whole number from 1 to 100." in _text(response.get_data(as_text=True))
        assert organiser_client.get(f"{url}.pdf?n={bad}").status_code == 400
    assert organiser_client.get(f"{url}.docx").status_code == 404


def test_the_pdf_holds_the_figures_in_the_readers_language(organiser_client, summit):
    edition, visits = summit
    url = f"/manage/e/{edition.event.slug}/report.pdf"
    response = organiser_client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.title == f"Rapport · {edition.event.name}"
    text = pdf_text(response.data)
    assert f"{len(visits)} rencontres prévues, 2 réalisées (écart : {len(visits) - 2})" in text
    assert "Bourges France 2" in text and "Namur Belgique 1" in text
    assert "Expérimentation (pilote)" in text and "Contrat" in text
    organiser_client.get("/lang/en")
    english = organiser_client.get(url)
    reader = PdfReader(io.BytesIO(english.data))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == f"Report · {edition.event.name}"
    text = pdf_text(english.data)
    assert f"{len(visits)} meetings planned, 2 realised (gap: {len(visits) - 2})" in text
    assert "3 outcomes recorded" in text and "Namur Belgium 1" in text


def test_the_spreadsheets_hold_the_rows_and_no_formula(organiser_client, summit):
    edition, _visits = summit
    add_outcome(edition.event, edition.startups[2], edition.cities[3], OutcomeKind.PARTNERSHIP)  # the "=HYPERLINK" city
    organiser_client.get("/lang/en")
    response = organiser_client.get(f"/manage/e/{edition.event.slug}/report.xlsx")
    assert response.status_code == 200
    assert 'filename="sommet-2027-report.xlsx"' in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["figures", "outcomes"]
    outcomes = list(workbook["outcomes"].iter_rows(values_only=True))
    assert outcomes[0][:6] == ("startup", "startup_country", "organisation", "organisation_country", "kind", "status")
    assert len(outcomes) == 1 + 4
    assert ("Startup mobilite", "France", "Bourges", "France", "Pilot (experiment)", "In progress") in [r[:6] for r in outcomes]
    cells = [c for row in workbook["figures"].iter_rows(values_only=True) for c in row] + \
        [c for row in outcomes for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "-", "@")) for c in cells)
    figures = {(r[0], r[1]): r for r in workbook["figures"].iter_rows(values_only=True)}
    assert figures[("outcome_kind", "Pilot (experiment)")][6] == 1 and figures[("top_city", "Bourges")][6] == 2
    body = organiser_client.get(f"/manage/e/{edition.event.slug}/report.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["section", "item", "planned", "realised", "gap", "unplanned", "count"]
    assert ["startups", "all", "", "", "", "", "4"] in rows
    assert ["outcome_status", "Achieved", "", "", "", "", "2"] in rows
    assert not any(c.startswith(("=", "+", "-", "@")) for row in rows for c in row)


def test_the_headline_counts_outcomes_and_tells_the_nothing_for_now_answers_apart(organiser_client, summit):
    edition, _visits = summit
    add_outcome(edition.event, edition.startups[1], edition.cities[1], OutcomeKind.NONE, OutcomeStatus.DONE)
    organiser_client.get("/lang/en")
    html = organiser_client.get(f"/manage/e/{edition.event.slug}/report").get_data(as_text=True)
    assert re.search(r'data-testid="total-outcomes">3<', html)
    assert "and 1 meeting answered “nothing for now”" in html
    text = pdf_text(organiser_client.get(f"/manage/e/{edition.event.slug}/report.pdf").data)
    assert "3 outcomes recorded" in text and "Besides, 1 meeting was answered “nothing for now”." in text
