"""The storefront in a real browser: registering, browsing, searching, and an out-of-stock
product that cannot be added (SPEC §3, §5)."""

import re

import pytest
from playwright.sync_api import expect

from stockline.customers.models import Customer
from tests.factories import PASSWORD, make_company, make_customer, make_product

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, company, customer):
    page.goto(f"/store/{company.slug}/login")
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/store/{company.slug}/catalog$"))


def product_row(page, name: str):
    return page.locator(".product-row").filter(has=page.get_by_role("link", name=name, exact=True))


def test_a_new_customer_registers_and_lands_on_the_catalog(page):
    company = make_company("Harbor Supply")[0]
    make_product(company, name="Nitrile Gloves")

    page.goto(f"/store/{company.slug}/")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_role("link", name="Create one").click()
    page.get_by_label("Your name").fill("Bayside Café")
    page.get_by_label("Email").fill("orders@bayside.test")
    page.get_by_label("Password").fill("s3cret-pass")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/catalog$"))
    expect(page.get_by_text("Welcome to Harbor Supply, Bayside Café.")).to_be_visible()
    expect(product_row(page, "Nitrile Gloves")).to_be_visible()
    assert Customer.objects.get(company=company).email == "orders@bayside.test"


def test_a_customer_browses_categories_and_pages(page):
    company = make_company("Harbor Supply")[0]
    for n in range(26):
        make_product(company, name=f"Cola {n:02d}", category="Beverages")
    make_product(company, name="Floor Mop", category="Cleaning")
    sign_in(page, company, make_customer(company))

    expect(page.get_by_text("Showing 1–24 of 27 products")).to_be_visible()
    page.locator(".filters").get_by_role("link", name="Beverages").click()
    expect(page.get_by_role("heading", name="Beverages")).to_be_visible()
    expect(page.get_by_text("Showing 1–24 of 26 products")).to_be_visible()
    expect(product_row(page, "Floor Mop")).to_have_count(0)
    page.get_by_role("link", name="Next →").click()
    expect(product_row(page, "Cola 25")).to_be_visible()
    expect(page.get_by_text("Showing 25–26 of 26 products")).to_be_visible()

    product_row(page, "Cola 25").get_by_role("link", name="Cola 25").click()
    expect(page.get_by_role("heading", name="Cola 25")).to_be_visible()


def test_a_customer_searches_by_name_sku_and_description(page):
    company = make_company("Harbor Supply")[0]
    make_product(company, name="Nitrile Gloves", sku="GLV-0042", description="Powder-free, box of 100.")
    make_product(company, name="Paper Towels", sku="PPR-0007", description="Two-ply.")
    sign_in(page, company, make_customer(company))

    search = page.get_by_role("searchbox", name="Search products")
    for query in ("gloves", "glv-0042", "powder"):
        search.fill(query)
        search.press("Enter")
        expect(page.get_by_text(re.compile(r"Showing 1–1 of 1 product"))).to_be_visible()
        expect(product_row(page, "Nitrile Gloves")).to_be_visible()
        expect(product_row(page, "Paper Towels")).to_have_count(0)
        search = page.get_by_role("searchbox", name="Search products")
    search.fill("no such thing")
    search.press("Enter")
    expect(page.get_by_role("heading", name="No products found")).to_be_visible()


def test_an_out_of_stock_product_is_shown_flagged_and_cannot_be_added(page):
    company = make_company("Harbor Supply")[0]
    make_product(company, name="Bin Liners", stock=0)
    make_product(company, name="Paper Towels", stock=40)
    sign_in(page, company, make_customer(company))

    row = product_row(page, "Bin Liners")
    expect(row.locator(".stock-out")).to_have_text("Out of stock")
    expect(row.get_by_role("button", name="Out of stock")).to_be_disabled()
    expect(row.get_by_role("spinbutton")).to_have_count(0)
    expect(product_row(page, "Paper Towels").get_by_role("button", name="Add to cart")).to_be_enabled()

    row.get_by_role("link", name="Bin Liners").click()
    expect(page.locator(".product-page .stock-out")).to_have_text("Out of stock")
    expect(page.get_by_role("button", name="Out of stock")).to_be_disabled()
    expect(page.get_by_role("button", name="Add to cart")).to_have_count(0)
