"""Browser tests: Playwright driving Debian's Chromium against the app on a loopback port."""
import os
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Browser, BrowserContext, ElementHandle, Frame, Keyboard, Locator, Mouse, Page, expect

from tests.e2e.axe import AXE_JS, Audit

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# A page may take a few seconds on a 2-core machine running the rest of the suite: an assertion waits
# up to 15 s for what a person would see (it returns as soon as it holds, so passing runs lose nothing).
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the README's test command, which installs it")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


#: What a test does that may take the page to another document: axe checks the current one first.
ACTIONS = ("goto", "reload", "go_back", "go_forward", "click", "dblclick", "tap", "fill", "press",
           "press_sequentially", "type", "check", "uncheck", "set_checked", "select_option", "set_input_files",
           "dispatch_event", "close", "down", "insert_text")


@pytest.fixture(scope="session")
def axe_pages():
    """The distinct pages axe checked during the run, written to test-artifacts/axe-pages.txt at the end."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core not found at {AXE_JS}: run `npm ci` (the README's test command does)")
    pages: set[str] = set()
    yield pages
    ARTIFACTS.mkdir(exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"axe-pages-{worker}.txt" if worker else "axe-pages.txt"
    (ARTIFACTS / name).write_text("".join(f"{p}\n" for p in sorted(pages)))


@pytest.fixture(autouse=True)
def axe(axe_pages, monkeypatch):
    """axe-core (WCAG 2.1 A and AA) on every page of every browser context the test opens (tests/e2e/axe.py).

    A test that changes a page in place asks for it to be checked again with `axe.check(page)`."""
    audit = Audit(source=AXE_JS.read_text(encoding="utf-8"), pages=axe_pages)
    new_context, new_page, close = Browser.new_context, Browser.new_page, BrowserContext.close

    def watched_context(self, *args, **kwargs):
        context = new_context(self, *args, **kwargs)
        if kwargs.get("java_script_enabled") is not False:  # axe is a script: the pages are checked with scripts on
            audit.watch(context)
        return context

    def checked_close(self, *args, **kwargs):
        audit.scan_open_pages(self)
        return close(self, *args, **kwargs)

    def watched_page(self, *args, **kwargs):  # Browser.new_page opens a context of its own
        page = new_page(self, *args, **kwargs)
        audit.watch(page.context)
        return page

    def checked_first(method):
        def action(self, *args, **kwargs):
            audit.catch_up()
            return method(self, *args, **kwargs)
        return action

    for cls in (Page, Frame, Locator, ElementHandle, Keyboard, Mouse):
        for name in ACTIONS:
            if hasattr(cls, name):
                monkeypatch.setattr(cls, name, checked_first(getattr(cls, name)))
    monkeypatch.setattr(Browser, "new_context", watched_context)
    monkeypatch.setattr(Browser, "new_page", watched_page)
    monkeypatch.setattr(BrowserContext, "close", checked_close)
    yield audit


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that passed fails if axe found a violation on a page it visited (pages still open checked now)."""
    result = yield
    audit = item.funcargs.get("axe")
    if isinstance(audit, Audit):
        audit.finish()
    return result


def save_screenshot(page, path, full_page: bool = True) -> None:
    """Save a screenshot for people to look at; a browser too busy to paint one is not a failing page.

    Chromium now and then answers "Unable to capture screenshot" on a loaded machine: try again after
    a moment, then the viewport alone, then say so on stderr and go on (the test's assertions are what it checks).
    """
    Path(path).parent.mkdir(exist_ok=True)
    attempts = ((full_page, 0), (full_page, 500), (False, 1000))
    for whole, pause in attempts:
        if pause:
            page.wait_for_timeout(pause)
        try:
            page.screenshot(path=str(path), full_page=whole)
            return
        except PlaywrightError as error:
            last = error
    print(f"no screenshot saved at {path}: {last}", file=sys.stderr)


@pytest.fixture
def shoot():
    """Save a full-page screenshot of a page under test-artifacts/ for people to look at."""
    def take(page, name: str):
        save_screenshot(page, ARTIFACTS / f"{name}.png")
    return take


