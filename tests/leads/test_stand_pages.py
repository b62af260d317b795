"""The stand team's pages, object-level access between stands (S8), exports (S11, S9, S10), the organisers'
view and command, and the attendee's "who scanned me"."""
import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.leads import routes as leads_routes
from app.leads.models import Device, Lead, StandTag
from app.registrations.services import TeamMember
from tests.conftest import TEST_PASSWORD, login
from tests.forged_host import forged_login, forged_submit
from tests.leads.conftest import API, scan, upload


def stand_with_contacts(client, make_stand, make_device, make_badge, name, people):
    """A stand, its device, and the given people scanned: [(fields, scan fields)]."""
    stand = make_stand(name)
    _, token = make_device(stand)
    entries = []
    for i, (fields, scan_fields) in enumerate(people):
        _, code = make_badge(**fields)
        entries.append(scan(code, f"{stand.id}-{i}", **scan_fields))
    assert upload(client, token, entries).json["stored"] == len(entries)
    return stand, token


def csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_exhibitor_a_never_sees_exhibitor_bs_contacts_or_devices(app, make_stand, make_device, make_badge):
    api = app.test_client()
    stand_a, _ = stand_with_contacts(api, make_stand, make_device, make_badge, "Alpha",
                                     [({"first_name": "Annie", "last_name": "Alpha"}, {})])
    stand_b, token_b = stand_with_contacts(api, make_stand, make_device, make_badge, "Bêta",
                                           [({"first_name": "Bruno", "last_name": "Secret"}, {"notes": "b only"})])
    lead_b = db.session.scalar(select(Lead).where(Lead.stand_id == stand_b.id))
    device_b = db.session.scalar(select(Device).where(Device.stand_id == stand_b.id))
    client = app.test_client()
    login(client, stand_a.person)
    page = client.get("/e/sommet-2027/stand/").get_data(as_text=True)
    assert "Annie Alpha" in page and "Bruno Secret" not in page
    assert client.get(f"/e/sommet-2027/stand/contacts/{lead_b.id}").status_code == 404
    assert client.submit(f"/e/sommet-2027/stand/contacts/{lead_b.id}", {"notes": "pwned"}).status_code == 404
    assert client.submit(f"/e/sommet-2027/stand/devices/{device_b.id}/revoke").status_code == 404
    devices_page = client.get("/e/sommet-2027/stand/devices").get_data(as_text=True)
    assert "Téléphone de Camille" in devices_page  # A's own device only
    assert devices_page.count("Téléphone de Camille") == 1
    response = client.get("/e/sommet-2027/stand/contacts.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    exported = csv_rows(response.data)
    assert [r["last_name"] for r in exported] == ["Alpha"]
    db.session.expire_all()
    assert db.session.get(Lead, lead_b.id).notes == "b only"
    assert db.session.get(Device, device_b.id).revoked_at is None
    assert upload(api, token_b, []).status_code == 200  # B's device still works


def test_a_team_member_works_on_the_team_leads_stand(app, make_stand, make_device, make_badge, make_person):
    stand = make_stand("Gamma", team=[TeamMember(first_name="Théo", last_name="Équipier", email="theo@gamma.fr")])
    member = db.session.scalar(select(type(stand)).where(type(stand).team_lead_id == stand.id))
    client = app.test_client()
    login(client, member.person)
    page = client.get("/e/sommet-2027/stand/devices")
    assert page.status_code == 200 and "Gamma" in page.get_data(as_text=True)


def test_someone_without_a_stand_gets_a_clear_refusal(app, event, make_person):
    from app.auth.models import RoleName
    from app.auth.services import grant_role
    person = make_person()
    grant_role(person, event.id, RoleName.EXHIBITOR, actor_id=None)  # a role but no startup
    db.session.commit()
    client = app.test_client()
    login(client, person)
    response = client.get("/e/sommet-2027/stand/", headers={"Accept-Language": "en"})
    assert response.status_code == 403 and "not on the team" in response.get_data(as_text=True)


def test_pairing_from_the_page_then_unpairing_stops_the_device(app, make_stand):
    stand = make_stand()
    client = app.test_client()
    login(client, stand.person)
    assert client.submit("/e/sommet-2027/stand/devices", {"name": ""}).status_code == 422
    page = client.submit("/e/sommet-2027/stand/devices", {"name": "Téléphone de Léa"}).get_data(as_text=True)
    assert 'data-testid="pairing-code"' in page and "data:image/svg+xml;base64," in page
    code = page.split('data-testid="pairing-code">')[1].split("<")[0]
    api = app.test_client()
    token = api.post(f"{API}/pair", json={"code": code}).json["token"]
    assert api.get(f"{API}/device", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    device = db.session.scalar(select(Device))
    assert client.submit(f"/e/sommet-2027/stand/devices/{device.id}/revoke").status_code == 302
    assert api.get(f"{API}/device", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"lead.pairing_code", "lead.device_pair", "lead.device_revoke"} <= actions


def test_the_stands_tags_reach_the_scanner(app, make_stand, make_device):
    stand = make_stand()
    _, token = make_device(stand)
    client = app.test_client()
    login(client, stand.person)
    assert client.submit("/e/sommet-2027/stand/tags", {"tags": "investisseur, pilote , , pilote"}).status_code == 302
    assert db.session.scalars(select(StandTag.label).order_by(StandTag.position)).all() == ["investisseur", "pilote"]
    info = app.test_client().get(f"{API}/device", headers={"Authorization": f"Bearer {token}"}).json
    assert info["stand"]["tags"] == ["investisseur", "pilote"]
    assert client.submit("/e/sommet-2027/stand/tags", {"tags": "x" * 41}).status_code == 422


def test_contacts_search_filters_and_edit(app, make_stand, make_device, make_badge):
    api = app.test_client()
    stand, _ = stand_with_contacts(api, make_stand, make_device, make_badge, "Delta", [
        ({"first_name": "Aline", "last_name": "Pilote", "organisation_name": "Ville d'Autun"},
         {"rating": 5, "tags": ["pilote"], "notes": "Budget voté"}),
        ({"first_name": "Bernard", "last_name": "Curieux", "consent_share_contact": False}, {"rating": 1}),
    ])
    client = app.test_client()
    login(client, stand.person)

    def names(query: str) -> list[str]:
        return [r["last_name"] for r in csv_rows(client.get(f"/e/sommet-2027/stand/contacts.csv?{query}").data)]

    assert sorted(names("")) == ["Curieux", "Pilote"]
    assert names("q=autun") == ["Pilote"] and names("q=budget") == ["Pilote"]
    assert names("tag=pilote") == ["Pilote"] and names("min_rating=3") == ["Pilote"]
    assert names("shares=no") == ["Curieux"] and names("min_rating=nonsense") != []
    lead = db.session.scalar(select(Lead).where(Lead.rating == 1))
    assert client.submit(f"/e/sommet-2027/stand/contacts/{lead.id}", {"notes": "x", "rating": "7"}).status_code == 422
    assert client.submit(f"/e/sommet-2027/stand/contacts/{lead.id}",
                         {"notes": "Rappeler", "rating": "3", "tags": "suivi"}).status_code == 302
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert (lead.notes, lead.rating, lead.tags) == ("Rappeler", 3, ["suivi"])
    detail = client.get(f"/e/sommet-2027/stand/contacts/{lead.id}", headers={"Accept-Language": "en"})
    assert "did not agree to share" in detail.get_data(as_text=True)


def test_exports_follow_consent_and_neutralise_formulas(app, make_stand, make_device, make_badge):
    api = app.test_client()
    stand, _ = stand_with_contacts(api, make_stand, make_device, make_badge, "Epsilon", [
        ({"first_name": "=HYPERLINK(\"http://x\")", "last_name": "Piège", "email": "piege@example.org"},
         {"notes": "+33 cmd|' /C calc'!A0", "tags": ["@suivi"]}),
        ({"first_name": "Discrète", "last_name": "Personne", "email": "discrete@example.org",
          "consent_share_contact": False}, {}),
    ])
    client = app.test_client()
    login(client, stand.person)
    rows = {r["last_name"]: r for r in csv_rows(client.get("/e/sommet-2027/stand/contacts.csv").data)}
    assert rows["Piège"]["first_name"].startswith("'=") and rows["Piège"]["notes"].startswith("'+")
    assert rows["Piège"]["tags"] == "'@suivi" and rows["Piège"]["email"] == "piege@example.org"
    assert rows["Personne"]["email"] == "" and rows["Personne"]["shares_contact"] == "no"
    xlsx = client.get("/e/sommet-2027/stand/contacts.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in values and "discrete@example.org" not in values
    assert client.get("/e/sommet-2027/stand/contacts.pdf").status_code == 404
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "lead.export")).all()


def test_organisers_see_and_export_every_stands_contacts(app, event, make_stand, make_device, make_badge,
                                                         make_organiser):
    api = app.test_client()
    stand_a, _ = stand_with_contacts(api, make_stand, make_device, make_badge, "Zêta", [({"last_name": "Un"}, {})])
    stand_with_contacts(api, make_stand, make_device, make_badge, "Êta", [({"last_name": "Deux"}, {})])
    client = app.test_client()
    login(client, make_organiser(event))
    page = client.get("/manage/e/sommet-2027/contacts/").get_data(as_text=True)
    assert "Zêta" in page and "Êta" in page
    everyone = csv_rows(client.get("/manage/e/sommet-2027/contacts/export.csv").data)
    assert sorted(r["startup"] for r in everyone) == ["Zêta", "Êta"]
    one = csv_rows(client.get(f"/manage/e/sommet-2027/contacts/export.csv?stand={stand_a.id}").data)
    assert [r["last_name"] for r in one] == ["Un"]


def test_the_export_command(app, event, make_stand, make_device, make_badge, tmp_path):
    api = app.test_client()
    stand_with_contacts(api, make_stand, make_device, make_badge, "Thêta", [({"last_name": "Un"}, {})])
    stand_with_contacts(api, make_stand, make_device, make_badge, "Iota", [({"last_name": "Deux"}, {})])
    runner = app.test_cli_runner()
    out = tmp_path / "contacts.csv"
    result = runner.invoke(args=["leads", "export", "--event", event.slug, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 contacts" in result.output and len(csv_rows(out.read_bytes())) == 2
    one = tmp_path / "theta.xlsx"
    result = runner.invoke(args=["leads", "export", "--event", event.slug, "--startup", "thêta", "-o", str(one)])
    assert result.exit_code == 0 and "1 contacts" in result.output
    assert load_workbook(one).active.max_row == 2
    for args, problem in ((["--event", "nope", "-o", str(out)], "no edition"),
                          (["--event", event.slug, "--startup", "Inconnue", "-o", str(out)], "no confirmed startup"),
                          (["--event", event.slug, "-o", str(tmp_path / "c.pdf")], ".csv or .xlsx")):
        result = runner.invoke(args=["leads", "export", *args])
        assert result.exit_code == 2 and problem in result.output


def test_attendees_see_who_scanned_them(app, make_stand, make_device, make_badge):
    stand = make_stand("Kappa Mobilité")
    _, token = make_device(stand)
    visitor, code = make_badge(consent_share_contact=False)
    client = app.test_client()
    from app.auth.services import set_password
    set_password(visitor.person, TEST_PASSWORD)
    db.session.commit()
    login(client, visitor.person)
    assert "Kappa" not in client.get("/e/sommet-2027/scanned-me").get_data(as_text=True)
    upload(app.test_client(), token, [scan(code, "k1")])
    page = client.get("/e/sommet-2027/scanned-me", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Kappa Mobilité" in page and "only your name and organisation" in page


def test_the_pairing_link_and_its_qr_code_use_the_public_address(app, make_stand, monkeypatch):
    stand = make_stand()
    client = app.test_client()
    forged_login(client, stand.person)
    encoded = []
    make_qr = leads_routes._qr_data_uri
    monkeypatch.setattr(leads_routes, "_qr_data_uri", lambda text: encoded.append(text) or make_qr(text))
    page = forged_submit(client, "/e/sommet-2027/stand/devices", {"name": "Téléphone de Léa"}).get_data(as_text=True)
    code = page.split('data-testid="pairing-code">')[1].split("<")[0]
    assert encoded == [f"{app.config['PUBLIC_URL']}/scan/#pair={code.replace('-', '')}"]
    assert f"{app.config['PUBLIC_URL']}/scan/" in page and "evil.example" not in page
