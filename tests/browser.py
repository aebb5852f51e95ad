"""Browser-test fixtures: Playwright driving Debian's Chromium, and axe-core on every page.

Browser tests are marked `browser`, use `live_server`, and run with
`@pytest.mark.django_db(transaction=True, serialized_rollback=True)` so that the reference
data loaded by migrations survives the flush between tests.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The machine's network is closed: keep Chromium from reaching out at all.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Every page a browser test checked, for the record (make test prints the count).
VISITED_LOG = Path(settings.BASE_DIR) / "test-artifacts" / "pages-visited.txt"


@pytest.fixture(scope="session")
def _playwright_browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make system-packages`.")
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # beside one unless told that this is a test process doing it on purpose.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps its connections in context variables, and starting Playwright's greenlets
    # gives this thread a fresh context: later tests then get new connection objects that
    # lack the serialized database used to restore reference data after a flush. Carry it
    # over so that `serialized_rollback` keeps working.
    snapshot = getattr(connections["default"], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        if snapshot is not None:
            connections["default"]._test_serialized_contents = snapshot
        yield browser
        browser.close()


# Pages keep their Content Security Policy in the browser tests, so a violation (an inline
# style or script slipped into a template or a library) is caught here. The browser reports
# each one as a `securitypolicyviolation` event; this script, run before any page script and
# outside the page's CSP, writes it to the console where the fixture collects it.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""
# axe-core is loaded from this address on the page's own origin, answered by Playwright from
# node_modules, so that the page's `script-src 'self'` allows it (no bypass_csp needed).
AXE_URL_PATH = "/__browser-tests__/axe.min.js"


def new_browser_page(browser):
    """A page in a fresh context (a separate person) that keeps the pages' CSP and records
    CSP violations, script errors and console errors for `check_accessibility`."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    context.route(
        f"**{AXE_URL_PATH}",
        lambda route: route.fulfill(path=str(AXE_JS), content_type="text/javascript"),
    )
    page = context.new_page()
    page.visited = []  # every URL checked with axe, for the record
    page.browser_errors = []  # CSP violations, script errors and console errors, with the URL
    page.on("console", lambda message: _record_console(page, message))
    page.on("pageerror", lambda error: page.browser_errors.append(f"{page.url}: {error}"))
    return page


@pytest.fixture
def browser_page(_playwright_browser, request):
    page = new_browser_page(_playwright_browser)
    page.test_name = request.node.nodeid
    yield page
    page.context.close()
    VISITED_LOG.parent.mkdir(exist_ok=True)
    with VISITED_LOG.open("a") as log:
        log.writelines(f"{page.test_name}\t{url}\n" for url in page.visited)


@pytest.fixture
def new_page(_playwright_browser, request):
    """Open a page per person in one test (each its own browser context), recorded like
    browser_page: `teacher = new_page()`, `reviewer = new_page()`."""
    opened = []

    def make():
        page = new_browser_page(_playwright_browser)
        opened.append(page)
        return page

    yield make
    VISITED_LOG.parent.mkdir(exist_ok=True)
    with VISITED_LOG.open("a") as log:
        for page in opened:
            log.writelines(f"{request.node.nodeid}\t{url}\n" for url in page.visited)
            page.context.close()


def visit(page, url):
    """Go to `url`, wait for it, and check it with axe-core."""
    page.goto(url)
    page.wait_for_load_state()
    check_accessibility(page)


def click(page, role, name, **kwargs):
    """Click the first element of `role` named `name`, wait, and check the page with axe-core."""
    page.get_by_role(role, name=name, **kwargs).first.click()
    page.wait_for_load_state()
    check_accessibility(page)


def _record_console(page, message):
    # A page answered with an error status (a test visiting a 403 on purpose) logs "Failed to
    # load resource"; that is the test's business, not a fault in the page.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.browser_errors.append(f"{page.url}: {message.text}")


def check_accessibility(page):
    """Run axe-core on the page; fail on any serious or critical violation, and on any CSP
    violation or console error logged since the last check."""
    _assert_no_browser_errors(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Same origin, so the page's `script-src 'self'` allows it (see AXE_URL_PATH).
        origin = page.evaluate("() => window.location.origin")
        page.add_script_tag(url=f"{origin}{AXE_URL_PATH}")
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        AXE_TAGS,
    )
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    page.visited.append(page.url)
    assert blocking == [], f"axe on {page.url}:\n" + json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in blocking
        ],
        indent=1,
    )
    _assert_no_browser_errors(page)


def _assert_no_browser_errors(page):
    assert hasattr(page, "browser_errors"), "open browser-test pages with new_browser_page()"
    errors, page.browser_errors[:] = list(page.browser_errors), []
    assert errors == [], "CSP violations or console errors:\n" + "\n".join(errors)


def login(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/login/")
    check_accessibility(page)
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
