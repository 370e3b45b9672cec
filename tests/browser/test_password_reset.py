"""Both password-reset flows in a real browser: ask, follow the link emailed through a real
SMTP server (aiosmtpd), set a new password, sign in with it."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_company, make_customer

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-brand-new-secret-42"


def _emailed_link(server) -> str:
    [message] = server.messages
    return re.search(r"https?://\S+", message.get_body(preferencelist=("plain",)).get_content()).group(0)


def test_staff_reset_from_the_login_page(page, live_server, settings, smtp_server):
    settings.SITE_URL = live_server.url
    _, owner = make_company("Acme Distributors")
    page.goto("/login")
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    link = _emailed_link(smtp_server)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_customer_reset_from_the_store_sign_in_page(page, live_server, settings, smtp_server):
    settings.SITE_URL = live_server.url
    company, _ = make_company("Acme Distributors")
    buyer = make_customer(company, email="buyer@harbor.test")
    page.goto(f"/store/{company.slug}/login")
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    [message] = smtp_server.messages
    assert message["From"].startswith("Acme Distributors <")  # in the store's name
    assert message["To"] == "buyer@harbor.test"
    page.goto(_emailed_link(smtp_server))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/store/{company.slug}/catalog$"))
