"""What the graphical parts (hall plan, route maps, heat map, program grid) need to be usable without a mouse
or without sight, checked in the browser: Tab reaches them, names say what they show, axe finds nothing."""
from __future__ import annotations

from tests.e2e.axe import AXE_JS

#: axe-core's browser build, as scripts/test.sh installs it (package.json pins it).
AXE = AXE_JS
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def tab_until(page, selector: str, max_presses: int = 300) -> int:
    """Press Tab until the focused element matches `selector` (or is inside an element that does);
    the number of presses. Fails when Tab never gets there."""
    for n in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!(document.activeElement && document.activeElement.closest(s))", selector):
            return n
    raise AssertionError(f"{max_presses} presses of Tab never reached {selector}")


def images_holding_focusables(page) -> list[str]:
    """Elements with role="img" that hold something the keyboard lands on: a screen reader hears a
    picture while the focus is inside it."""
    return page.evaluate("""() => [...document.querySelectorAll('[role=img]')]
        .filter(img => img.querySelector('a[href], button, input, select, textarea, [tabindex]'))
        .map(img => img.id || img.getAttribute('data-testid') || img.tagName)""")


def duplicate_ids(page) -> list[str]:
    """Ids given to more than one element. Hidden inputs aside: every WTForms form on a page renders its
    CSRF field as id="csrf_token", which nothing refers to (left to the forms' own fix)."""
    return page.evaluate("""() => {
        const seen = new Map();
        document.querySelectorAll('[id]:not(input[type=hidden])')
            .forEach(el => seen.set(el.id, (seen.get(el.id) || 0) + 1));
        return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    }""")


def axe_violations(page, *selectors: str) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations inside the elements `selectors` name (the whole page without),
    as "rule: element" lines."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    context = {"include": [[s] for s in selectors]} if selectors else "document"
    result = page.evaluate("""([context, tags]) => axe.run(context === "document" ? document : context,
        {runOnly: {type: "tag", values: tags}})""", [context, WCAG_TAGS])
    return [f"{v['id']}: {node['target']}" for v in result["violations"] for node in v["nodes"]]
