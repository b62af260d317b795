"""Wishes in a browser: an official and a startup state them, the organiser reads the heat map and marks a
delegation late."""
import re

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app.auth.services import set_password
from app.demonstrator.wishes.models import AvailabilityChange, Wish, WishKind
from app.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.demonstrator.conftest import utc, world  # noqa: F401  (the demonstrator's fixture)


def log_in(browser: Browser, base: str, person):
    set_password(person, TEST_PASSWORD)
    db.session.commit()
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("E-mail", exact=True).fill(person.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return context, page


def card(page, name):
    return page.get_by_test_id("wish-card").filter(has=page.get_by_role("heading", name=name, exact=True))


def test_wishes_heat_map_and_a_late_delegation(browser: Browser, live_server, world, make_organiser, shoot):  # noqa: F811
    event, official, startup = world.event, world.officials[3], world.startups[0]
    slug = event.slug

    # An official of the delegation wants to meet two startups and not a third.
    context, page = log_in(browser, live_server, official.person)
    page.goto(f"{live_server}/e/{slug}/demonstrator/wishes")
    for name in ("Startup mobilite", "Startup energie"):
        card(page, name).get_by_test_id("wish-want").click()
        expect(card(page, name).get_by_test_id("my-wish")).to_be_visible()
    card(page, "Startup sante").get_by_test_id("wish-no").click()
    expect(card(page, "Startup sante").get_by_test_id("wish-no")).to_have_attribute("aria-pressed", "true")
    assert page.url.endswith(f"#r{world.startups[3].id}")  # back where the official clicked
    # The filter applies with its button, never on its own (no change of context on input).
    page.get_by_label(re.compile("Thématique|Theme")).select_option("mobilite")
    page.get_by_role("button", name=re.compile("Filtrer|Filter")).click()
    expect(page.get_by_test_id("wish-card")).to_have_count(1)
    page.get_by_label(re.compile("Thématique|Theme")).select_option("")
    page.get_by_role("button", name=re.compile("Filtrer|Filter")).click()
    expect(page).not_to_have_url(re.compile("theme=mobilite"))
    shoot(page, "wishes-official")
    context.close()
    wishes = {(w.to_registration_id, w.kind) for w in db.session.scalars(
        select(Wish).where(Wish.from_registration_id == official.id))}
    assert wishes == {(world.startups[0].id, WishKind.WANT), (world.startups[1].id, WishKind.WANT),
                      (world.startups[3].id, WishKind.NO)}

    # The startup wants to meet that official: a mutual wish.
    context, page = log_in(browser, live_server, startup.person)
    page.goto(f"{live_server}/e/{slug}/demonstrator/wishes")
    expect(page.get_by_role("heading", name="Délégation de Bourges")).to_be_visible()
    card(page, official.person.full_name).get_by_test_id("wish-want").click()
    expect(card(page, official.person.full_name).get_by_test_id("my-wish")).to_be_visible()
    shoot(page, "wishes-startup")
    context.close()

    # The organiser reads the heat map: the mutual wish is the best pair.
    context, page = log_in(browser, live_server, make_organiser(event))
    page.goto(f"{live_server}/manage/e/{slug}/demonstrator/wishes")
    expect(page.get_by_test_id("count-mutual")).to_have_text("1")
    expect(page.get_by_test_id("heat-map")).to_be_visible()
    best = page.get_by_test_id("top-pair").first
    expect(best).to_contain_text("Délégation de Bourges")
    expect(best).to_contain_text("A1 · Startup mobilite")
    expect(best.locator("td.num")).to_have_text("14")  # 2 for the shared theme + 12 for the mutual wish
    titles = page.locator("[data-testid=heat-cell] title").all_text_contents()
    mutual = [t for t in titles if t.startswith("Délégation de Bourges × A1 · Startup mobilite")]
    assert len(mutual) == 1 and re.search(r": 14 \(.*(souhait mutuel|mutual wish)", mutual[0]), mutual
    assert any("A4 · Startup sante" in t and re.search("pas intéressé|not interested", t) for t in titles)
    page.locator("[data-testid=heat-cell].mutual").hover()
    shoot(page, "wishes-heat-map")

    # On the day: the delegation is late until 11:00.
    page.goto(f"{live_server}/manage/e/{slug}/demonstrator/availability")
    row = page.locator(f"tr[data-key=d{world.delegation.id}]")
    expect(row.get_by_test_id("windows")).to_contain_text("10:00–12:00")
    row.get_by_test_id("late-toggle").click()
    form = row.get_by_test_id("late-form")
    form.locator("select[name=preset]").select_option("late")
    form.locator("input[name=at]").fill("11:00")
    form.locator("select[name=day]").select_option(event.starts_on.isoformat())
    shoot(page, "wishes-availability-late-form")
    form.get_by_role("button").click()
    expect(page.locator(".flash-success")).to_contain_text("Délégation de Bourges")
    row = page.locator(f"tr[data-key=d{world.delegation.id}]")
    expect(row.get_by_test_id("windows")).to_contain_text("11:00–12:00")
    expect(row.get_by_test_id("windows")).not_to_contain_text("10:00")
    expect(row.get_by_test_id("change")).to_have_count(1)
    shoot(page, "wishes-availability-late")
    context.close()
    change = db.session.scalar(select(AvailabilityChange))
    assert (change.delegation_id, change.ends_at, change.available) == (
        world.delegation.id, utc(event.starts_on, "11:00"), False)
