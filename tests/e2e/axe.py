"""axe-core on every page the browser tests visit (issue 27, R11).

Every browser context a test opens is watched: each document a page loads is checked once, before the test's
next action on a page (a click, a fill, a `goto`...: conftest wraps them), so a document is checked before the
test can leave it; the pages still open when the context closes or the test ends are checked then. A test that
changes a page in place and wants it checked again calls `axe.check(page)`. (Checking from a route handler
while the navigation waits does not work: Chromium answers no evaluation until the navigation goes on.)

axe is injected with `page.evaluate` (the DevTools protocol, which a page's Content-Security-Policy does not
govern), so the app keeps sending its production CSP and the browser keeps enforcing it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 640  # the layout's phone breakpoint (mediane.css)

#: Contrast is the slow rule (20 s on a plan page of 8,000 elements): on a page that big it is left out, as the
#: same classes are checked on the smaller pages and the CSS colours by tests/test_accessibility_layout.py.
BIG_PAGE = 3000
SLOW_RULES = ["color-contrast", "link-in-text-block"]

RUN = """async ([tags, force, big, slow]) => {
  if (document.readyState === 'loading')
    await new Promise(resolve => document.addEventListener('DOMContentLoaded', resolve, {once: true}));
  if ((window.__axeChecked && !force) || window.__axeRunning) return null;
  window.__axeRunning = true;
  try {
    const rules = document.getElementsByTagName('*').length > big
      ? Object.fromEntries(slow.map(rule => [rule, {enabled: false}])) : {};
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations']});
    window.__axeChecked = true;
    return {
      lang: document.documentElement.lang, width: window.innerWidth,
      violations: result.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary}))})),
    };
  } finally { window.__axeRunning = false; }
}"""


def page_key(url: str, lang: str, width: int) -> str:
    """A page as the count of distinct pages sees it: path and query, language, desk or phone."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<id>", parts.path)  # /plans/17 and /plans/18 are one page
    query = f"?{parts.query}" if parts.query else ""
    return f"{path}{query} [{lang or '?'}, {'phone' if width < PHONE_WIDTH else 'desk'}]"


@dataclass
class Audit:
    """What axe found during one test, and the pages it checked during the whole session."""
    source: str
    pages: set[str]
    violations: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)
    loaded: list[Page] = field(default_factory=list)  # pages whose new document is not checked yet
    busy: bool = False

    def watch(self, context: BrowserContext) -> None:
        self.contexts.append(context)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page: Page) -> None:
        page.on("load", lambda p: self.loaded.append(p))

    def catch_up(self) -> None:
        """Check the documents loaded since the last action (called before each action of a test)."""
        if self.busy or not self.loaded:
            return
        self.busy = True
        try:
            while self.loaded:
                page = self.loaded.pop(0)
                try:
                    self.scan(page)
                except Exception:  # noqa: BLE001 - the page closed or navigated meanwhile: its next load is checked
                    pass
        finally:
            self.busy = False

    def scan(self, page: Page, *, force: bool = False) -> list[str]:
        """Run axe on the page's current document (once per document unless `force`); return what it found."""
        if page.is_closed() or not page.url.startswith("http"):
            return []
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source)
        result = page.evaluate(RUN, [TAGS, force, BIG_PAGE, SLOW_RULES])
        if result is None:
            return []
        self.pages.add(page_key(page.url, result["lang"], result["width"]))
        found = []
        for violation in result["violations"]:
            for node in violation["nodes"]:
                found.append(f"[{violation['rule']}] {violation['help']} ({violation['impact']})\n"
                             f"    page: {page.url}\n    element: {node['target']}\n    html: {node['html'][:300]}\n"
                             f"    {node['summary']}".replace("\n  ", "\n      "))
        self.violations.extend(found)
        return found

    def check(self, page: Page) -> None:
        """Check the page as it is now (after an in-page change) and fail at once on a violation."""
        found = self.scan(page, force=True)
        assert not found, f"axe found {len(found)} accessibility violation(s):\n" + "\n".join(found)

    def scan_open_pages(self, context: BrowserContext) -> None:
        self.catch_up()
        if context not in self.contexts:
            return  # a context without scripts is not watched: axe cannot run there (evaluate would wait forever)
        for page in list(context.pages):
            try:
                self.scan(page)
            except Exception:  # noqa: BLE001 - a page mid-navigation or closed: its next document is checked
                pass

    def finish(self) -> None:
        for context in self.contexts:
            self.scan_open_pages(context)
        assert not self.violations, (f"axe found {len(self.violations)} accessibility violation(s):\n"
                                     + "\n".join(self.violations))
