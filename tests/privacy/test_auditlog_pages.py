"""The audit log an organiser reads (issue 19): an edition's rows in words and in its time zone, filtered by person,
action and days, a page at a time, exported as CSV (itself audited); the platform's rows for platform staff."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import RoleName
from app.auth.services import grant_role, set_password
from app.events.models import CategoryCode
from app.privacy.auditlog import queries
from tests.conftest import TEST_PASSWORD, login


def entries(db, action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def summit(db, event, make_event, make_person, make_registration, make_organiser):
    """An edition with a few audit rows at known times, another edition's row and a platform row."""
    organiser = make_organiser(event)
    organiser.first_name, organiser.last_name = "Hélène", "Côté"
    official = make_registration(event, CategoryCode.ELU, first_name="Benoît", last_name="Laurent")
    other = make_event(slug="autre-2027", name="Autre sommet")
    # Times in UTC: 2027-06-01 21:30 UTC is 23:30 in Paris on the 1st; 22:30 UTC is 00:30 on the 2nd.
    rows = [
        ("registration.approve", organiser.id, official, datetime(2027, 6, 1, 21, 30), {}),
        ("checkin", None, official, datetime(2027, 6, 1, 22, 30), {}),
        ("badge.print", organiser.id, None, datetime(2027, 6, 3, 8, 0), {"count": 12, "sheet": "=cmd|' /C calc'!A0"}),
    ]
    for action, actor_id, obj, at, details in rows:
        audit.record(action, actor_id=actor_id, event_id=event.id, obj=obj, details=details).at = at
    audit.record("event.update", actor_id=organiser.id, event_id=other.id, obj=other)
    audit.record("person.merge", actor_id=organiser.id, obj=official.person, details={"kept": {"id": 1}})
    db.session.commit()
    return {"event": event, "organiser": organiser, "official": official, "other": other}


def texts(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [chunk.split("</tr>")[0] for chunk in html.split('data-testid="audit-row"')[1:]]


def test_an_organiser_reads_her_editions_rows_in_words_and_in_its_time_zone(client, summit):
    login(client, summit["organiser"])
    response = client.get("/manage/e/sommet-2027/audit")
    assert response.status_code == 200
    rows = texts(response)
    # Newest first: the three rows above, then those written when the edition, the organiser and the official were
    # made (now, in 2026 or later, but before 2027-06-01 here... ordered by time: the 2027 rows come first).
    assert "Badges imprimés" in rows[0] and "Hélène Côté" in rows[0] and "count: 12" in rows[0]
    assert "Accueilli à l&#39;entrée" in rows[1] and "Inscription · Benoît Laurent" in rows[1]
    assert "Médiane (automatique)" in rows[1] and "2 juin 2027, 00:30" in rows[1]  # 22:30 UTC, in Paris
    assert "Inscription validée" in rows[2] and "1 juin 2027, 23:30" in rows[2]
    html = response.get_data(as_text=True)
    assert "Autre sommet" not in html.split("<main")[1] and "Deux personnes fusionnées" not in html
    assert 'href="/manage/e/sommet-2027/audit" aria-current="page">Journal d' in html  # the edition's menu


def actions_shown(response) -> list[str]:
    return [row.split("</td>")[2].split("<td>")[-1] for row in texts(response)]


def test_filters_by_person_accents_aside_by_action_and_by_days_in_the_editions_zone(client, summit):
    login(client, summit["organiser"])
    url = "/manage/e/sommet-2027/audit"
    # The official is the object of three rows (registered, approved, checked in); typed without accents.
    assert actions_shown(client.get(url, query_string={"q": "benoit LAURENT"})) == [
        "Accueilli à l&#39;entrée", "Inscription validée", "Inscription créée"]
    # The organiser acted twice, and was the object of her role's grant.
    assert actions_shown(client.get(url, query_string={"q": "helene cote"})) == [
        "Badges imprimés", "Inscription validée", "Rôle attribué"]
    assert actions_shown(client.get(url, query_string={"action": "checkin"})) == ["Accueilli à l&#39;entrée"]
    # 23:30 on 1 June in Paris is still the 1st; 00:30 is the 2nd.
    assert actions_shown(client.get(url, query_string={"from": "2027-06-01", "to": "2027-06-01"})) == [
        "Inscription validée"]
    assert actions_shown(client.get(url, query_string={"from": "2027-06-02", "to": "2027-06-03"})) == [
        "Badges imprimés", "Accueilli à l&#39;entrée"]
    assert actions_shown(client.get(url, query_string={"q": "personne inconnue"})) == []
    assert len(actions_shown(client.get(url, query_string={"action": "Pas un code !"}))) == 6  # no filter
    # The kinds offered are those of the edition's rows, by their names.
    html = client.get(url).get_data(as_text=True)
    assert '<option value="checkin" >Accueilli à l&#39;entrée</option>' in html
    assert 'value="person.merge"' not in html


@pytest.mark.parametrize("args, field, message", [
    ({"from": "2027-02-30"}, "from", "De : donnez un jour au format AAAA-MM-JJ"),
    ({"to": "demain"}, "to", "À : donnez un jour au format AAAA-MM-JJ"),
    ({"from": "9999-12-31"}, "from", "entre les années 2000 et 2999"),
    ({"from": "2027-06-03", "to": "2027-06-01"}, "to", "postérieur au premier jour (2027-06-03)"),
])
def test_a_day_that_cannot_be_read_is_named_and_nothing_is_exported(client, db, summit, args, field, message):
    login(client, summit["organiser"])
    response = client.get("/manage/e/sommet-2027/audit", query_string=args)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and f'id="{field}-err"' in html and 'data-testid="error-summary"' in html
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert client.get("/manage/e/sommet-2027/audit.csv", query_string=args).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_export_holds_the_filtered_rows_safe_for_a_spreadsheet_and_is_audited(client, db, summit, make_person):
    event = summit["event"]
    trickster = make_person(first_name="=HYPERLINK(\"x\")", last_name="Bis")
    grant_role(trickster, event.id, RoleName.ORGANISER, actor_id=None)
    audit.record("badge.layout", actor_id=trickster.id, event_id=event.id).at = datetime(2027, 6, 2, 7)
    db.session.commit()
    login(client, trickster)
    response = client.get("/manage/e/sommet-2027/audit.csv", query_string={"from": "2027-06-02", "to": "2027-06-03"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert [r["action"] for r in rows] == ["badge.print", "badge.layout", "checkin"]
    assert rows[0]["action_label"] == "Badges imprimés" and rows[0]["actor"] == "Hélène Côté"
    assert rows[0]["at"] == "2027-06-03 10:00:00" and rows[0]["at_utc"] == "2027-06-03 08:00:00"
    assert rows[0]["time_zone"] == "Europe/Paris" and '"count": 12' in rows[0]["details"]
    assert rows[1]["actor"].startswith("'=HYPERLINK")  # S11
    assert rows[2]["object"] == "Inscription · Benoît Laurent" and rows[2]["actor"] == ""
    # The export wrote its own row: who, how many, which filters; a searched name is not kept.
    client.get("/manage/e/sommet-2027/audit.csv", query_string={"q": "Benoît"})
    exports = entries(db, "audit.export")
    assert [e.details for e in exports] == [
        {"format": "csv", "rows": 3, "filters": {"from": "2027-06-02", "to": "2027-06-03"}},
        {"format": "csv", "rows": 3, "filters": {"q": True}}]
    assert all(e.actor_id == trickster.id and e.event_id == event.id for e in exports)
    assert "Benoît" not in str(exports[1].details)
    page = client.get("/manage/e/sommet-2027/audit")
    assert sum("Journal d&#39;audit exporté" in row for row in texts(page)) == 2


def test_rows_come_a_page_at_a_time(client, db, summit):
    event = summit["event"]
    for n in range(queries.PAGE_SIZE + 5):
        audit.record("room.save", actor_id=None, event_id=event.id, details={"n": n})
    db.session.commit()
    login(client, summit["organiser"])
    first = client.get("/manage/e/sommet-2027/audit", query_string={"action": "room.save"})
    assert len(texts(first)) == queries.PAGE_SIZE and "Page 1 sur 2" in first.get_data(as_text=True)
    assert "page=2&amp;action=room.save" in first.get_data(as_text=True)
    second = client.get("/manage/e/sommet-2027/audit", query_string={"action": "room.save", "page": 2})
    assert len(texts(second)) == 5 and "n: 0" in texts(second)[-1]
    # A page past the last shows the last.
    assert len(texts(client.get("/manage/e/sommet-2027/audit", query_string={"action": "room.save",
                                                                             "page": 99}))) == 5


def test_an_organiser_of_another_edition_attendees_and_exhibitors_are_refused(client, db, summit, make_person,
                                                                               make_registration):
    other_organiser = make_person()
    grant_role(other_organiser, summit["other"].id, RoleName.ORGANISER, actor_id=None)
    exhibitor = make_person()
    grant_role(exhibitor, summit["event"].id, RoleName.EXHIBITOR, actor_id=None)
    set_password(summit["official"].person, TEST_PASSWORD)
    db.session.commit()
    for person in (other_organiser, exhibitor, summit["official"].person):
        login(client, person)
        for url in ("/manage/e/sommet-2027/audit", "/manage/e/sommet-2027/audit.csv", "/manage/audit",
                    "/manage/audit.csv"):
            assert client.get(url).status_code == 403, (person, url)
    login(client, other_organiser)
    assert client.get("/manage/e/autre-2027/audit").status_code == 200
    assert client.get("/manage/e/nulle-part/audit").status_code == 404


def test_platform_staff_read_the_rows_of_no_edition(client, db, summit, make_person):
    staff = make_person(is_staff=True, first_name="Inès", last_name="Plateforme")
    login(client, staff)
    response = client.get("/manage/audit")
    assert response.status_code == 200
    [row] = texts(response)
    assert "Deux personnes fusionnées" in row and "Personne · Benoît Laurent" in row and "Hélène Côté" in row
    assert 'href="/manage/audit"' in client.get("/manage/").get_data(as_text=True)  # from the back office's home
    rows = read_csv(client.get("/manage/audit.csv"))
    assert [r["action"] for r in rows] == ["person.merge"] and rows[0]["time_zone"] == "UTC"
    [export] = entries(db, "audit.export")
    assert export.event_id is None and export.actor_id == staff.id
    # Staff organise every edition: the edition's page opens for them too.
    assert client.get("/manage/e/sommet-2027/audit").status_code == 200
