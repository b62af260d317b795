"""What the shared layout owns for accessibility (issue 27, RGAA 4.1 / WCAG 2.1 AA): a skip link first on every
page, a focus ring and the route's stand labels with enough contrast (computed from the CSS colours), the
language switcher as a labelled list, French texts on English pages marked lang="fr", tables with a caption,
header scope and a scroll box the keyboard reaches."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import login

STATIC = Path(__file__).resolve().parents[1] / "app" / "static"


# --- colours -------------------------------------------------------------------------------------------------

def css_rules(path: Path) -> list[tuple[str, str]]:
    """(selector, declarations) of a stylesheet, comments out, media queries flattened."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    text = re.sub(r"@media[^{]*{((?:[^{}]*{[^{}]*})*)\s*}", r"\1", text)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+){([^{}]*)}", text)]


def declaration(body: str, name: str) -> str | None:
    found = re.findall(rf"(?:^|;|\s){re.escape(name)}\s*:\s*([^;]+)", body)
    return found[-1].strip() if found else None


ROOT_VARS = {name: value for sel, body in css_rules(STATIC / "mediane.css") if sel == ":root"
             for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+)", body)}


def colour(value: str, scope_vars: dict[str, str] | None = None) -> str:
    variables = {**ROOT_VARS, **(scope_vars or {})}
    while (m := re.search(r"var\((--[\w-]+)\)", value)):
        value = value.replace(m.group(0), variables[m.group(1)].strip())
    m = re.search(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}\b", value)
    assert m, value
    hex_ = m.group(0)[1:]
    return "#" + ("".join(c * 2 for c in hex_) if len(hex_) == 3 else hex_).lower()


def contrast(a: str, b: str) -> float:
    def luminance(h: str) -> float:
        rgb = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        rgb = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rule(path: Path, selector: str) -> str:
    bodies = [body for sel, body in css_rules(path) if selector in [s.strip() for s in sel.split(",")]]
    assert bodies, f"no rule for {selector} in {path.name}"
    return ";".join(bodies)


def test_the_focus_ring_is_3_to_1_on_cards_and_page_and_drawn_around_checkboxes():
    ring = rule(STATIC / "mediane.css", ":focus-visible")  # every element the keyboard reaches, checkboxes too
    outline = declaration(ring, "outline")
    assert outline and re.search(r"\b[2-9]px\b", outline) and "solid" in outline
    focus = colour(outline)
    for background in (ROOT_VARS["--card"], ROOT_VARS["--bg"]):
        assert contrast(focus, colour(background)) >= 3, (focus, background)
    # White on the blue top bar; light on the dark scanner.
    topbar = rule(STATIC / "mediane.css", ".topbar")
    on_bar = colour("var(--focus)", {"--focus": declaration(topbar, "--focus")})
    assert contrast(on_bar, colour(declaration(topbar, "background"))) >= 3
    scanner = rule(STATIC / "leads" / "scanner.css", ".scanner-body")
    assert contrast(colour(declaration(scanner, "--focus")), colour(declaration(scanner, "background"))) >= 3


def test_the_edges_of_form_fields_read_at_3_to_1():
    checked = 0
    for sheet in ("mediane.css", "demonstrator-hall.css", "demonstrator-wishes.css"):
        for selector, body in css_rules(STATIC / sheet):
            edge = declaration(body, "border")
            if edge and re.search(r"\b(input|select|textarea)\b", selector) and "solid" in edge:
                for background in (ROOT_VARS["--card"], ROOT_VARS["--bg"]):
                    assert contrast(colour(edge), colour(background)) >= 3, (sheet, selector, edge, background)
                checked += 1
    assert checked >= 3


def test_the_scanners_count_of_contacts_to_send_is_announced(client):
    page = client.get("/scan/").get_data(as_text=True)
    pending = re.search(r'<span[^>]*data-testid="pending"[^>]*>', page).group(0)
    assert 'role="status"' in pending


def test_the_stand_labels_of_the_route_read_at_4_5_to_1():
    stand = colour(declaration(rule(STATIC / "demonstrator-visits.css", ".stop-stand"), "color"))
    for background in (ROOT_VARS["--card"], ROOT_VARS["--bg"]):
        assert contrast(stand, colour(background)) >= 4.5, (stand, background)


# --- markup --------------------------------------------------------------------------------------------------

class Outline(HTMLParser):
    """The elements of a page, in order, with their attributes and the language in force."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def outline(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Outline()
    parser.feed(html)
    return parser.elements


def first_tab_stop(elements):
    for tag, attrs in elements:
        if attrs.get("type") == "hidden" or attrs.get("tabindex") == "-1":
            continue
        if (tag == "a" and "href" in attrs) or tag in ("button", "input", "select", "textarea") or "tabindex" in attrs:
            return tag, attrs
    return None


@pytest.mark.parametrize("path", ["/", "/login", "/scan/", "/e/sommet-2027/"])
def test_a_skip_link_is_the_first_tab_stop_and_leads_to_main(client, event, path):
    html = client.get(path).get_data(as_text=True)
    elements = outline(html)
    tag, attrs = first_tab_stop(elements)
    assert tag == "a" and attrs["href"] == "#main", (tag, attrs)
    assert "skip-link" in attrs.get("class", "")
    assert [a for t, a in elements if t == "main" and a.get("id") == "main"], "no <main id=main>"
    skip = rule(STATIC / "mediane.css", ".skip-link:focus")  # hidden until focused, then on screen
    assert declaration(skip, "top") and not declaration(skip, "top").startswith("-")


def test_the_language_switcher_is_a_labelled_list_of_links(client, event):
    html = client.get("/").get_data(as_text=True)
    switcher = re.search(r'<ul class="langs" aria-label="([^"]+)"[^>]*>(.*?)</ul>', html, flags=re.S)
    assert switcher and switcher.group(1) == "Langue"
    assert re.findall(r'<li><a [^>]*lang="(fr|en)"', switcher.group(2)) == ["fr", "en"]
    assert not re.search(r"<span[^>]*aria-label", html)  # a label on a plain span is read by nothing


def test_french_texts_on_english_pages_are_marked_lang_fr(client, event, db):
    event.description = "Trois jours pour les villes moyennes."
    db.session.commit()
    client.get("/lang/en?next=/")
    html = client.get(f"/e/{event.slug}/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert f'<h1><span lang="fr">{event.name}</span></h1>' in html
    assert '<span lang="fr">Trois jours pour les villes moyennes.</span>' in html
    # Its English twin needs no mark, nor does the French page.
    event.name_en = "Mid-sized cities summit 2027"
    db.session.commit()
    assert "<h1>Mid-sized cities summit 2027</h1>" in client.get(f"/e/{event.slug}/").get_data(as_text=True)
    client.get("/lang/fr?next=/")
    assert f"<h1>{event.name}</h1>" in client.get(f"/e/{event.slug}/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/manage/", "/manage/e/sommet-2027/", "/manage/e/sommet-2027/registrations",
                                  "/manage/e/sommet-2027/delegations", "/manage/e/sommet-2027/jobs/"])
def test_back_office_tables_have_a_caption_header_scope_and_a_box_the_keyboard_reaches(
        client, event, make_organiser, make_registration, path):
    make_registration(event)
    login(client, make_organiser(event))
    html = client.get(path).get_data(as_text=True)
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert tables
    for table in tables:
        assert re.search(r"<caption[^>]*>\s*\S", table), table[:200]
        heads = re.findall(r"<th\b[^>]*>", re.search(r"<thead>.*?</thead>", table, flags=re.S).group(0))
        assert heads and all('scope="col"' in th for th in heads), heads
    boxes = re.findall(r'<div class="table-wrap"[^>]*>', html)
    assert boxes and all('tabindex="0"' in b and 'role="region"' in b and 'aria-label="' in b for b in boxes), boxes
