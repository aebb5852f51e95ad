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


@pytest.fixture
def browser_page(_playwright_browser, request):
    # bypass_csp lets axe-core be injected; the pages themselves keep their CSP.
    context = _playwright_browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.visited = []  # every URL checked with axe, for the record
    page.test_name = request.node.nodeid
    yield page
    context.close()
    VISITED_LOG.parent.mkdir(exist_ok=True)
    with VISITED_LOG.open("a") as log:
        log.writelines(f"{page.test_name}\t{url}\n" for url in page.visited)


def check_accessibility(page):
    """Run axe-core on the page; fail on any serious or critical violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
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


def login(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/login/")
    check_accessibility(page)
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
