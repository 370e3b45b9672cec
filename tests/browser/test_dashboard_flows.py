"""The staff dashboard in a real browser: the flows of SPEC §3–§4 end to end."""

import re

import pytest
from playwright.sync_api import expect

from stockline.accounts.models import Company
from tests.factories import PASSWORD, make_company, make_product, place

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email: str, password: str = PASSWORD):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def health_count(page, status: str):
    return page.locator(f'[data-health="{status}"] .count')


def test_sign_up_log_out_and_log_in_again(page):
    page.goto("/signup")
    page.get_by_label("Company name").fill("Northwind Supply")
    page.get_by_label("Your name").fill("Nora North")
    page.get_by_label("Work email").fill("nora@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create company").click()
    expect(page.get_by_role("heading", name="Northwind Supply")).to_be_visible()
    expect(page.locator(".role-pill")).to_have_text("Owner")
    assert Company.objects.filter(name="Northwind Supply").exists()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=/dashboard$"))
    log_in(page, "nora@example.com")
    expect(page.locator("#inventory-health")).to_be_visible()


def test_bulk_delta_confirms_which_products_clamp_and_applies(page):
    company, owner = make_company("Acme")
    make_product(company, name="Few Tape", sku="FEW", stock=3)
    make_product(company, name="Many Tape", sku="MANY", stock=20)
    log_in(page, owner.user.email)

    page.goto("/dashboard/inventory?q=tape")
    page.get_by_label("Select all on this page").check()
    page.get_by_label("Action", exact=True).select_option("stock_delta")
    page.get_by_label("Units").fill("-5")
    page.get_by_role("button", name="Review…").click()

    expect(page.locator("[data-confirm-summary]")).to_contain_text("2 products will change")
    expect(page.locator("[data-clamped]")).to_contain_text("Few Tape (FEW): 3 → 0")
    expect(page.locator("[data-clamped]")).not_to_contain_text("Many Tape")
    page.get_by_role("button", name="Apply to 2 products").click()

    expect(page.locator(".messages")).to_contain_text("Stock updated on 2 products (1 clamped at 0)")
    expect(page).to_have_url(re.compile(r"/dashboard/inventory\?q=tape$"))
    few = page.locator('[data-product-row="FEW"] [data-stock]')
    expect(few).to_contain_text("0")
    expect(few).to_have_class(re.compile("stock-out"))
    expect(page.locator('[data-product-row="MANY"] [data-stock]')).to_contain_text("15")


def test_editing_stock_shows_in_the_history_and_the_audit_log(page):
    company, owner = make_company("Acme")
    product = make_product(company, name="Packing Tape", stock=10)
    log_in(page, owner.user.email)

    page.goto(f"/dashboard/inventory/{product.id}/edit")
    page.get_by_label("Stock qty").fill("25")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(re.compile(rf"/dashboard/inventory/{product.id}$"))
    latest = page.locator("#stock-ledger tbody tr").first
    expect(latest.locator("[data-before-after]")).to_have_text("10 → 25")
    expect(latest).to_contain_text(owner.user.name)
    expect(latest).to_contain_text("Edited")
    expect(page.locator("svg.chart circle")).to_have_count(2)

    page.get_by_role("link", name="Audit log").click()
    entry = page.locator('#audit-log tr[data-action="ProductUpdated"]').first
    expect(entry).to_contain_text("Updated product Packing Tape")
    expect(entry).to_contain_text("Stock qty: 10→25")


def test_new_order_warns_only_n_left_and_moves_the_health_counts(page):
    company, owner = make_company("Acme")
    make_product(company, name="Widget Low", sku="W-LOW", stock=3)
    make_product(company, name="Widget Big", sku="W-BIG", stock=10)
    make_product(company, name="Widget Gone", sku="W-GONE", stock=0)
    log_in(page, owner.user.email)
    expect(health_count(page, "IN_STOCK")).to_have_text("1")
    expect(health_count(page, "LOW_STOCK")).to_have_text("1")
    expect(health_count(page, "OUT_OF_STOCK")).to_have_text("1")

    page.get_by_role("link", name="+ New order").click()
    page.get_by_label("Search products").fill("widget")
    low_row = page.locator('[data-picker-row="W-LOW"]')
    expect(low_row).to_contain_text("Only 3 left")
    expect(page.locator('[data-picker-row="W-GONE"] button')).to_be_disabled()

    low_row.get_by_role("button", name="+ Add").click()
    expect(page.locator("#cart-lines [data-only-left]")).to_have_text("Only 3 left")
    page.locator('[data-picker-row="W-BIG"]').get_by_role("button", name="+ Add").click()
    big_qty = page.get_by_label("Quantity of Widget Big")
    big_qty.fill("6")
    low_more = page.locator("#cart-lines tr", has_text="Widget Low").get_by_label("One more")
    for _ in range(3):  # capped at the 3 in stock
        low_more.click()
    expect(page.get_by_label("Quantity of Widget Low")).to_have_value("3")
    page.get_by_role("button", name="Place order").click()

    expect(page.locator(".messages")).to_contain_text("placed")
    expect(page.locator("table").first).to_contain_text("Widget Big")
    page.get_by_role("link", name="Home").click()
    expect(health_count(page, "IN_STOCK")).to_have_text("0")
    expect(health_count(page, "LOW_STOCK")).to_have_text("1")
    expect(health_count(page, "OUT_OF_STOCK")).to_have_text("2")


def test_new_order_is_refused_when_stock_ran_out_meanwhile(page):
    company, owner = make_company("Acme")
    product = make_product(company, name="Last Pallet Wrap", sku="LPW", stock=4)
    log_in(page, owner.user.email)

    page.goto("/dashboard/orders/new")
    page.locator('[data-picker-row="LPW"]').get_by_role("button", name="+ Add").click()
    page.get_by_label("Quantity of Last Pallet Wrap").fill("4")
    place(company, [(product, 3)])  # someone else buys first
    page.get_by_role("button", name="Place order").click()

    expect(page.locator("#order-errors")).to_contain_text(
        "Not enough stock for Last Pallet Wrap. Only 1 available."
    )
    expect(page.get_by_label("Quantity of Last Pallet Wrap")).to_have_value("4")
    assert company.orders.count() == 1
