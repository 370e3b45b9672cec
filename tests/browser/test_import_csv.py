"""CSV import in a real browser: upload → preview → apply, and mapping a column by hand."""

import re

import pytest
from playwright.sync_api import expect

from stockline.catalog.models import MovementReason, Product, StockMovement
from tests.factories import PASSWORD, make_company, make_product

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email: str):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def choose_file(page, text: str, name: str = "products.csv"):
    page.get_by_label("CSV file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Upload and preview").click()


def test_upload_preview_and_apply(page):
    company, owner = make_company("Acme")
    make_product(company, sku="BOLT-5", name="Bolt", stock=5)
    log_in(page, owner.user.email)

    page.goto("/dashboard/inventory")
    page.get_by_role("link", name="Import CSV").click()
    expect(page).to_have_url(re.compile(r"/dashboard/inventory/import$"))
    choose_file(
        page,
        "SKU,Product Name,Unit Price,Qty,Category\n"
        "BOLT-5,Bolt,10.00,8,Fixings\n"
        "NUT-1,Hex nut,0.25,100,Fixings\n",
    )

    expect(page).to_have_url(re.compile(r"/dashboard/inventory/import/[0-9a-f-]{36}$"))
    expect(page.locator('[data-count="create"]')).to_have_text("1")
    expect(page.locator('[data-count="update"]')).to_have_text("1")
    expect(page.locator('[data-count="unchanged"]')).to_have_text("0")
    changes = page.locator("[data-change-table] tbody tr")
    expect(changes.nth(0)).to_contain_text("BOLT-5")
    expect(changes.nth(0)).to_contain_text("5 → 8")
    expect(changes.nth(1)).to_contain_text("NUT-1")
    assert Product.objects.filter(company=company).count() == 1  # nothing written by the preview

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator(".messages")).to_contain_text(
        "Imported products.csv: 1 created, 1 updated, 0 unchanged."
    )
    expect(page.locator("[data-import-result]")).to_be_visible()
    assert Product.objects.get(company=company, sku="BOLT-5").stock == 8
    assert Product.objects.get(company=company, sku="NUT-1").stock == 100
    assert StockMovement.objects.filter(reason=MovementReason.IMPORT).count() == 2

    page.get_by_role("link", name="Go to inventory").click()
    expect(page.get_by_text("Hex nut")).to_be_visible()


def test_a_column_the_header_does_not_name_is_mapped_in_the_preview(page):
    company, owner = make_company("Acme")
    log_in(page, owner.user.email)
    page.goto("/dashboard/inventory/import")
    choose_file(page, "sku,name,Amount,stock\nA-1,Anchor,3.50,12\n")

    expect(page.locator("[data-import-file-error]")).to_contain_text("Missing required column: price.")
    page.get_by_label("price*").select_option("Amount")
    page.get_by_role("button", name="Preview again").click()
    expect(page.locator('[data-count="create"]')).to_have_text("1")

    page.get_by_role("button", name="Import 1 row").click()
    expect(page.locator(".messages")).to_contain_text("1 created")
    assert str(Product.objects.get(company=company, sku="A-1").price) == "3.50"


def test_row_errors_are_listed_and_nothing_can_be_applied(page):
    company, owner = make_company("Acme")
    log_in(page, owner.user.email)
    page.goto("/dashboard/inventory/import")
    choose_file(page, "sku,name,price,stock\nA,Anchor,-1,3\nA,Again,1,1\n")

    errors = page.locator("[data-error-table] tbody tr")
    expect(errors.nth(0)).to_contain_text("2")
    expect(errors.nth(0)).to_contain_text("price")
    expect(errors.nth(0)).to_contain_text("Ensure this value is greater than or equal to 0.")
    expect(errors.nth(1)).to_contain_text('Duplicate SKU "A" also on row 2')
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    assert not Product.objects.filter(company=company).exists()
