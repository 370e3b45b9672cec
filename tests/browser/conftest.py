"""Playwright driving Debian's chromium (/usr/bin/chromium, installed by .ci/run via apt).

Browser tests use pytest-django's live_server; each gets a fresh browser context. Every
browser test also proves its pages work under the Content-Security-Policy: chromium reports
anything the policy blocked to the console, and a test whose pages broke the policy fails.
"""

import os
import shutil

import pytest

# Playwright's sync API keeps an event loop in the test thread; Django's ORM is still
# called synchronously from the same thread in these tests, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def is_csp_violation(message) -> bool:
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def csp_violations():
    """What the Content-Security-Policy blocked on the test's pages, as chromium reported it."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.on("console", lambda m: csp_violations.append(m.text) if is_csp_violation(m) else None)
    page = context.new_page()
    yield page
    context.close()
    assert not csp_violations, "the page broke its Content-Security-Policy:\n" + "\n".join(csp_violations)
