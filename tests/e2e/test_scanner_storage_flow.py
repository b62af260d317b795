"""What the stand's phone keeps (issue 19), read from its localStorage, IndexedDB and service-worker caches after
real scans: the list's names and notes, never an e-mail or a phone number; a scan the server no longer has is
forgotten at the next sync; a phone unpaired by the stand's team wipes everything and shows the pairing screen."""
import json
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.auth.services import set_password
from app.badging import services as badging
from app.events.models import CategoryCode
from app.extensions import db
from app.leads import devices, retention
from app.leads.models import Scan
from app.registrations.services import approve, update_consents
from tests.conftest import TEST_PASSWORD

#: Everything the scanner's origin holds on the phone: localStorage, every IndexedDB store, the caches' entries.
READ_STORAGE = """async () => {
  const local = {};
  for (let i = 0; i < localStorage.length; i++) local[localStorage.key(i)] = localStorage.getItem(localStorage.key(i));
  const stores = {};
  for (const { name, version } of await indexedDB.databases()) {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open(name, version); r.onsuccess = () => ok(r.result);
                                               r.onerror = () => ko(r.error); });
    for (const store of Array.from(db.objectStoreNames)) {
      stores[name + "/" + store] = await new Promise((ok, ko) => {
        const r = db.transaction(store, "readonly").objectStore(store).getAll();
        r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
    }
    db.close();
  }
  const cached = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const body = request.url.endsWith(".wasm") ? "" : await (await cache.match(request)).text();
      cached[request.url] = body;
    }
  }
  return { local, stores, cached };
}"""

#: The recent list as the scanner before issue 19 kept it: the whole contact, with e-mail and phone, and the code.
OLD_ENTRY = """([clientId, at, code, email, phone]) => localStorage.setItem("mediane.scanner.recent", JSON.stringify([
  { client_id: clientId, code, at, status: "stored", error: "", notes: "", rating: null, tags: [],
    contact: { lead_id: 1, name: "Josée Bouchard-Côté", organisation: "Ville de Shawinigan", job_title: "Mairesse",
               shares_contact: true, email, phone, notes: "", rating: null, tags: [], num_scans: 1 } }]))"""


def storage(page) -> dict:
    return page.evaluate(READ_STORAGE)


def kept_list(page) -> list[dict]:
    return json.loads(storage(page)["local"].get("mediane.scanner.recent") or "[]")


def as_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def people(event, make_registration):
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan",
                              first_name="Inès", last_name="Fondatrice")
    sharing = make_registration(event, CategoryCode.VISITEUR, first_name="Josée", last_name="Bouchard-Côté",
                                organisation_name="Ville de Shawinigan", consent_share_contact=True,
                                email="josee@shawinigan.ca", phone="+1 819 555 0101")
    private = make_registration(event, CategoryCode.VISITEUR, first_name="Réjean", last_name="Tremblay",
                                organisation_name="Ville de Nevers", consent_share_contact=False,
                                email="rejean@nevers.fr", phone="+33 3 86 55 02 02")
    approve(event, [stand.id, sharing.id, private.id], actor_id=None)
    set_password(stand.person, TEST_PASSWORD)
    db.session.commit()
    codes = [badging.current_token(r).token for r in (sharing, private)]
    pairing = devices.start_pairing(stand, "Téléphone d'Inès", actor_id=None)
    db.session.commit()
    return stand, sharing, private, codes, pairing


def open_phone(browser, live_server, pairing):
    context = browser.new_context(locale="fr-FR", viewport={"width": 412, "height": 915}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/scan/#pair={pairing.code}")
    expect(page.get_by_test_id("stand-name")).to_have_text("Capteurs du Morvan")
    return context, page, errors


def wait_for_service_worker(page):
    """The scanner's service worker controls the page (polled from here: the page's CSP forbids Playwright's eval)."""
    for _ in range(150):
        if page.evaluate("() => navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the scanner's service worker never took control of the page")


def type_code(page, code):
    page.locator("#code-input").fill(code)
    page.locator("#code-input").press("Enter")


def test_the_phone_keeps_names_never_contact_details_and_forgets_what_the_server_dropped(
        browser, live_server, event, make_registration, shoot):
    stand, sharing, private, codes, pairing = people(event, make_registration)
    details = ["josee@shawinigan.ca", "819 555 0101", "rejean@nevers.fr", "86 55 02 02"]
    context, page, errors = open_phone(browser, live_server, pairing)
    wait_for_service_worker(page)

    # She shares her contact: the exhibitor sees her e-mail on screen right after the scan. He does not.
    type_code(page, codes[0])
    feedback = page.get_by_test_id("scan-feedback")
    expect(page.get_by_test_id("scan-name")).to_have_text("Josée Bouchard-Côté")
    expect(feedback).to_contain_text("josee@shawinigan.ca")
    type_code(page, codes[1])
    expect(page.get_by_test_id("scan-name")).to_have_text("Réjean Tremblay")
    expect(page.get_by_test_id("scan-share")).to_contain_text("N'a pas accepté")
    expect(feedback).not_to_contain_text("rejean@nevers.fr")
    expect(page.get_by_test_id("pending-count")).to_have_text("0")
    expect(page.get_by_test_id("recent").locator("li")).to_have_count(2)
    shoot(page, "scanner-storage-two-scans")

    # What the phone holds: both names for the list, and nobody's e-mail or phone, anywhere.
    held = storage(page)
    assert [(e["name"], e["organisation"]) for e in kept_list(page)] == [
        ("Réjean Tremblay", "Ville de Nevers"), ("Josée Bouchard-Côté", "Ville de Shawinigan")]
    assert not any(d in as_text(held) for d in details)
    assert not any(code in as_text(held) for code in codes)  # nor the badge codes, once sent
    assert held["stores"]["mediane-scanner/queue"] == []
    assert held["cached"] and not any("/api/" in url for url in held["cached"])  # the page and its files only

    # A phone paired before issue 19 still holds her whole contact: the new scanner rewrites it at once.
    first = next(e for e in kept_list(page) if e["name"].startswith("Josée"))
    page.evaluate(OLD_ENTRY, [first["client_id"], first["at"], codes[0], "josee@shawinigan.ca", "+1 819 555 0101"])
    # She withdraws her consent; the scanner is opened again and syncs.
    update_consents(sharing, directory=False, share_contact=False, actor_id=sharing.person_id)
    page.reload()
    expect(page.get_by_test_id("recent").locator("li")).to_have_count(2)
    assert not any(d in as_text(storage(page)) for d in details) and codes[0] not in as_text(storage(page))
    # Reopened, her entry asks the server, which no longer gives her e-mail.
    page.get_by_test_id("recent").get_by_role("button", name="Josée Bouchard-Côté").click()
    expect(page.get_by_test_id("scan-share")).to_contain_text("N'a pas accepté")
    expect(feedback).not_to_contain_text("josee@shawinigan.ca")
    shoot(page, "scanner-storage-consent-withdrawn")

    # The edition's contacts are purged: at its next sync the phone forgets both scans.
    retention.purge_expired_contacts(today=event.ends_on + timedelta(days=2), retention_days=1)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("recent").locator("li")).to_have_count(0)
    assert kept_list(page) == []
    assert errors == []
    context.close()


def test_a_phone_unpaired_by_its_team_wipes_what_it_kept_and_shows_the_pairing_screen(
        browser, live_server, event, make_registration, shoot):
    stand, sharing, private, codes, pairing = people(event, make_registration)
    context, page, errors = open_phone(browser, live_server, pairing)
    type_code(page, codes[0])
    expect(page.get_by_test_id("scan-name")).to_have_text("Josée Bouchard-Côté")
    context.set_offline(True)
    type_code(page, codes[1])  # kept in the queue, offline
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    held = storage(page)
    assert len(held["stores"]["mediane-scanner/queue"]) == 1 and "mediane.scanner.device" in held["local"]

    # The founder unpairs the phone from the stand's page, on her laptop.
    laptop = browser.new_context(locale="fr-FR")
    desk = laptop.new_page()
    desk.goto(f"{live_server}/login")
    desk.locator("#email").fill(stand.person.email)
    desk.locator("#password").fill(TEST_PASSWORD)
    desk.locator("form button[type=submit]").last.click()
    desk.goto(f"{live_server}/e/{event.slug}/stand/devices")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Dissocier").first.click()
    expect(desk.locator("main")).to_contain_text("ne peut plus envoyer de scans")
    laptop.close()

    # The network returns: the phone's next call is refused, and it wipes everything it kept.
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#pair-panel")).to_be_visible()
    expect(page.locator("#scan-panel")).to_be_hidden()
    expect(page.get_by_test_id("pair-error")).to_contain_text("dissocié par l'équipe du stand")
    expect(page.get_by_test_id("pair-error")).to_contain_text("ont été effacés")
    expect(page.get_by_test_id("pending-count")).to_have_text("0")
    shoot(page, "scanner-storage-revoked")
    held = storage(page)
    assert held["local"] == {}
    assert held["stores"]["mediane-scanner/queue"] == []
    assert "Josée" not in as_text(held) and not any(code in as_text(held) for code in codes)
    # A reload shows the pairing screen again, with nothing of the stand.
    page.reload()
    expect(page.locator("#pair-panel")).to_be_visible()
    expect(page.get_by_test_id("recent").locator("li")).to_have_count(0)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Scan)) == 1  # the revoked phone's scan never went
    assert errors == []
    context.close()
