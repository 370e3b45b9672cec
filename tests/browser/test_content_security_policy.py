"""The dashboard, the storefront and /api/v1/docs work under the Content-Security-Policy
(settings.CONTENT_SECURITY_POLICY): the `page` fixture fails a test whose pages the policy
blocked anything on; these tests walk the pages and use their scripts."""

import re

import pytest
from playwright.sync_api import expect

from stockline.accounts.models import Role
from tests.browser.test_dashboard_flows import log_in
from tests.browser.test_storefront_shopping import sign_in
from tests.factories import make_company, make_customer, make_member, make_product, place

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_policy_is_sent_and_blocks_inline_script(page, csp_violations):
    response = page.goto("/login")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.inlineRan = true"; document.body.append(s); }"""
    )
    assert page.evaluate("() => window.inlineRan === true") is False
    assert csp_violations, "chromium reported no violation: the fixture would miss a broken page"
    csp_violations.clear()  # the violation was this test's own


def test_dashboard_pages_and_their_scripts_work_under_the_policy(page):
    company, owner = make_company("Acme")
    make_member(company, Role.MEMBER)
    tape = make_product(company, name="Packing Tape", sku="TAPE", stock=3)
    place(company, [(tape, 1)])
    log_in(page, owner.user.email)

    for path in [
        "/dashboard",
        "/dashboard/inventory",
        f"/dashboard/inventory/{tape.id}",
        f"/dashboard/inventory/{tape.id}/edit",
        "/dashboard/orders",
        "/dashboard/settings",
        "/dashboard/settings/api-keys",
        "/dashboard/settings/audit",
        "/dashboard/inventory/import",
        "/dashboard/account/password",
    ]:
        page.goto(path)
        expect(page.locator("main")).to_be_visible()

    # htmx (the product picker and cart of New order) runs under the policy.
    page.goto("/dashboard/orders/new")
    page.get_by_label("Search products").fill("tape")
    page.locator('[data-picker-row="TAPE"]').get_by_role("button", name="+ Add").click()
    expect(page.locator("#cart-lines")).to_contain_text("Packing Tape")
    # The role select submits itself on change (a script, not an inline handler).
    page.goto("/dashboard/settings/team")
    member_role = page.locator("select[data-autosubmit][name=role]").first
    member_role.select_option("ADMIN")
    expect(page.get_by_text(re.compile(r"is now Admin\."))).to_be_visible()


def test_storefront_pages_work_under_the_policy(page):
    company = make_company("Harbor Supply")[0]
    make_product(company, name="Nitrile Gloves", stock=40)
    make_product(company, name="Sold Out Mop", stock=0)
    customer = make_customer(company)
    sign_in(page, company, customer)

    page.get_by_role("button", name="Add to cart").first.click()
    page.goto(f"/store/{company.slug}/cart")
    expect(page.get_by_role("button", name="Place order")).to_be_visible()
    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/orders/[0-9a-f-]+$"))
    page.goto(f"/store/{company.slug}/orders")
    expect(page.locator("main")).to_be_visible()
    page.goto(f"/store/{company.slug}/account")
    expect(page.get_by_label("Current password")).to_be_visible()


def test_the_api_docs_render_under_the_policy(page):
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Stockline API").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()  # Swagger UI drew the operations
