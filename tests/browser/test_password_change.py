"""Changing one's own password in a real browser: from the header link to using the new one."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboard_flows import log_in
from tests.browser.test_storefront_shopping import sign_in
from tests.factories import PASSWORD, make_company, make_customer

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-brand-new-secret-42"


def test_staff_change_their_password_from_the_header(page):
    _, owner = make_company("Acme Distributors")
    log_in(page, owner.user.email)
    page.get_by_role("link", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/dashboard/account/password$"))
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.locator("main").get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    page.goto("/dashboard")  # still signed in
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.get_by_role("button", name="Log out").click()
    log_in(page, owner.user.email, NEW_PASSWORD)


def test_customer_changes_their_password_from_the_account_page(page):
    company, _ = make_company("Acme Distributors")
    buyer = make_customer(company, email="buyer@harbor.test", name="Harbor Hardware")
    sign_in(page, company, buyer)
    page.get_by_role("link", name="Account").click()
    expect(page).to_have_url(re.compile(rf"/store/{company.slug}/account$"))
    expect(page.locator("main")).to_contain_text("Harbor Hardware")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    page.goto(f"/store/{company.slug}/orders")  # still signed in
    expect(page).to_have_url(re.compile(rf"/store/{company.slug}/orders$"))
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/store/{company.slug}/catalog$"))
