"""A stand pairs a phone, the phone's camera reads a printed badge's QR code (Chromium's fake camera playing a
video made from the rendered badge), then, offline, three badges are typed in, the page is reloaded, the network
returns, and the server holds exactly three new contacts (R5)."""
import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.auth.services import set_password
from app.badging import services as badging
from app.events.models import CategoryCode
from app.extensions import db
from app.leads.models import Lead, Scan
from app.registrations.services import approve
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM

WIDTH, HEIGHT = 640, 480


def badge_image(pdf: bytes) -> Image.Image:
    """The printed badge as the camera would see it: the QR code and its surroundings, on a white card."""
    page = pdfium.PdfDocument(io.BytesIO(pdf))[0].render(scale=3).to_pil().convert("RGB")
    found = zxingcpp.read_barcodes(page)
    assert len(found) == 1
    position = found[0].position
    xs = [position.top_left.x, position.top_right.x, position.bottom_left.x, position.bottom_right.x]
    ys = [position.top_left.y, position.top_right.y, position.bottom_left.y, position.bottom_right.y]
    margin = (max(xs) - min(xs)) // 3
    crop = page.crop((max(0, min(xs) - margin), max(0, min(ys) - margin), max(xs) + margin, max(ys) + margin))
    crop.thumbnail((HEIGHT - 40, HEIGHT - 40))
    frame = Image.new("RGB", (WIDTH, HEIGHT), "white")
    frame.paste(crop, ((WIDTH - crop.width) // 2, (HEIGHT - crop.height) // 2))
    return frame


def write_y4m(image: Image.Image, path: Path, frames: int = 15) -> None:
    """A short YUV 4:2:0 video of one still image, the format Chromium's fake camera plays in a loop."""
    rgb = np.asarray(image, dtype=np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = (b - y) * 0.564 + 128
    v = (r - y) * 0.713 + 128

    def plane(values, sub):
        if sub:
            values = values.reshape(HEIGHT // 2, 2, WIDTH // 2, 2).mean(axis=(1, 3))
        return np.clip(values.round(), 0, 255).astype(np.uint8).tobytes()

    body = plane(y, False) + plane(u, True) + plane(v, True)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F15:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + body)


@pytest.fixture
def camera_browser(playwright, tmp_path_factory):
    """Chromium with a fake camera that films the file the test writes to `video`."""
    video = tmp_path_factory.mktemp("camera") / "badge.y4m"
    holder = {"video": video}

    def launch():
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        holder["browser"] = browser
        return browser
    holder["launch"] = launch
    yield holder
    if "browser" in holder:
        holder["browser"].close()


def test_scan_a_badge_with_the_camera_then_three_offline(camera_browser, live_server, event, make_registration,
                                                         shoot):
    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan",
                              first_name="Inès", last_name="Fondatrice")
    visitors = [make_registration(event, CategoryCode.VISITEUR, first_name=f, last_name=l,
                                  organisation_name=o, consent_share_contact=share, email=e)
                for f, l, o, share, e in (
                    ("Josée", "Bouchard-Côté", "Ville de Shawinigan", True, "josee@shawinigan.ca"),
                    ("Réjean", "Tremblay", "Ville de Nevers", False, "rejean@nevers.fr"),
                    ("Aïcha", "Diallo", "Commune de Thiès", True, "aicha@thies.sn"),
                    ("Björn", "Le Gall", "Lorient Agglomération", False, "bjorn@lorient.fr"))]
    approve(event, [stand.id, *(v.id for v in visitors)], actor_id=None)
    set_password(stand.person, TEST_PASSWORD)
    db.session.commit()
    codes = [badging.current_token(v).token for v in visitors]
    db.session.commit()
    image = badge_image(badging.own_badge(visitors[0]))
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "scanner-camera-frame.png")
    write_y4m(image, camera_browser["video"])

    browser = camera_browser["launch"]()
    context = browser.new_context(locale="fr-FR", viewport={"width": 412, "height": 915}, is_mobile=True,
                                  has_touch=True)
    context.grant_permissions(["camera"], origin=live_server)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The founder logs in and gets a pairing code for the phone.
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(stand.person.email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server}/e/{event.slug}/stand/devices")
    page.locator("#name").fill("Téléphone d'Inès")
    page.locator("#name").press("Enter")
    code = page.get_by_test_id("pairing-code").inner_text()
    shoot(page, "scanner-pairing-code")

    # The phone opens the scanner and pairs with the typed code.
    page.goto(f"{live_server}/scan/")
    page.locator("#pair-code").fill(code)
    page.locator("#pair-form button").click()
    expect(page.get_by_test_id("stand-name")).to_have_text("Capteurs du Morvan")

    # The camera films the printed badge: the contact appears, with what they agreed to share.
    page.locator("#camera-start").click()
    feedback = page.get_by_test_id("scan-feedback")
    expect(page.get_by_test_id("scan-name")).to_have_text("Josée Bouchard-Côté", timeout=30_000)
    expect(feedback).to_contain_text("Ville de Shawinigan")
    expect(feedback).to_contain_text("josee@shawinigan.ca")
    expect(page.get_by_test_id("pending-count")).to_have_text("0")
    assert page.locator("#scanner").get_attribute("data-detector") in ("native", "zxing-wasm")
    shoot(page, "scanner-camera-contact")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 1

    # The service worker keeps the page for reloads without network.
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15_000)

    context.set_offline(True)
    for visitor_code in codes[1:]:
        page.locator("#code-input").fill(visitor_code)
        page.locator("#code-input").press("Enter")
    expect(page.get_by_test_id("pending-count")).to_have_text("3")
    expect(page.get_by_test_id("net-status")).to_have_class("net off")
    shoot(page, "scanner-offline-three-pending")

    page.reload()
    expect(page.get_by_test_id("pending-count")).to_have_text("3")
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 1

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=15_000)
    expect(page.get_by_test_id("recent")).to_contain_text("Björn Le Gall")
    shoot(page, "scanner-back-online")

    db.session.expire_all()
    leads = db.session.scalars(select(Lead).where(Lead.stand_id == stand.id)).all()
    assert sorted(lead.registration_id for lead in leads) == sorted(v.id for v in visitors)
    new = [s for s in db.session.scalars(select(Scan)) if s.registration_id != visitors[0].id]
    assert len(new) == 3  # exactly three new contacts, each stored once
    assert all(s.scanned_at <= s.received_at for s in new)  # the offline scans keep their own time
    assert errors == []
    context.close()


def test_the_scanner_keeps_a_batch_through_a_lost_answer_and_a_503_and_stores_it_once(browser, live_server, event,
                                                                                        make_registration, shoot):
    """The server stores the scan but its answer is lost (a 502 from the proxy), then the database is away (503,
    Retry-After: 1): the phone keeps the scan, says so, sends it again, and the server holds it once (R10)."""
    from app.leads import devices

    stand = make_registration(event, CategoryCode.STARTUP, organisation_name="Capteurs du Morvan")
    visitor = make_registration(event, CategoryCode.VISITEUR, first_name="Josée", last_name="Bouchard-Côté",
                                organisation_name="Ville de Shawinigan", consent_share_contact=True)
    approve(event, [stand.id, visitor.id], actor_id=None)
    code = badging.current_token(visitor).token
    pairing = devices.start_pairing(stand, "Téléphone d'Inès", actor_id=None)
    db.session.commit()

    context = browser.new_context(locale="fr-FR", viewport={"width": 412, "height": 915}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    calls = []

    def answer(route):
        calls.append(route.request.post_data_json)
        if len(calls) == 1:  # stored by the server, but the answer never reaches the phone
            route.fetch()
            route.fulfill(status=502, body="Bad Gateway")
        elif len(calls) == 2:
            route.fulfill(status=503, headers={"Retry-After": "1"}, content_type="application/json",
                          body='{"error": "base indisponible", "code": "database_unavailable", "field": null, '
                               '"status": 503}')
        else:
            route.continue_()

    page.route("**/api/leads/v1/scans", answer)
    page.goto(f"{live_server}/scan/#pair={pairing.code}")
    expect(page.get_by_test_id("stand-name")).to_have_text("Capteurs du Morvan")
    page.locator("#code-input").fill(code)
    page.locator("#code-input").press("Enter")
    feedback = page.get_by_test_id("scan-feedback")
    expect(feedback).to_contain_text("Le serveur ne peut pas recevoir les scans pour le moment")
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    shoot(page, "scanner-server-away-kept")
    expect(page.get_by_test_id("scan-name")).to_have_text("Josée Bouchard-Côté", timeout=20_000)
    expect(page.get_by_test_id("pending-count")).to_have_text("0")
    shoot(page, "scanner-server-back-sent")
    assert len(calls) == 3 and calls[0] == calls[2]  # the same batch, the same client id, three times
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Scan)) == 1
    assert errors == []
    context.close()
