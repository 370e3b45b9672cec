"""One product search (catalog.selectors.product_search) for the dashboard, the storefront
and the API: name, SKU and category for staff, description too for buyers and integrations."""

import pytest

from stockline.catalog.models import Product
from stockline.catalog.selectors import product_search
from stockline.dashboard import selectors as dashboard
from stockline.storefront import selectors as storefront
from tests.api.conftest import ApiClient, make_key
from tests.factories import make_company, make_product


def names(products) -> list[str]:
    return sorted(p.name for p in products)


@pytest.fixture
def catalog(company):
    make_product(company, name="Blue Widget", sku="BW-1", category="Fasteners")
    make_product(company, name="Red Gadget", sku="RG-1", category="Widgets")
    make_product(company, name="Green Thing", sku="WID-9", category="Tools")
    make_product(company, name="Grey Crate", sku="GC-1", description="Holds a widget or two.")
    make_product(company, name="Plain Box", sku="PB-1")
    other, _ = make_company()
    make_product(other, name="Their Widget")
    return Product.objects.filter(company=company)


def test_search_matches_name_sku_and_category_ignoring_case(catalog):
    found = product_search(catalog, "wId", descriptions=False)
    assert names(found) == ["Blue Widget", "Green Thing", "Red Gadget"]


def test_search_reads_descriptions_only_when_asked(catalog):
    assert "Grey Crate" not in names(product_search(catalog, "widget", descriptions=False))
    assert "Grey Crate" in names(product_search(catalog, "widget", descriptions=True))


def test_an_empty_search_is_every_product(catalog):
    assert product_search(catalog, "", descriptions=True).count() == 5


def test_dashboard_storefront_and_api_all_search_through_product_search(company, catalog, monkeypatch):
    calls = []

    def spy(products, term, *, descriptions):
        calls.append(descriptions)
        return product_search(products, term, descriptions=descriptions)

    for module in ("dashboard.selectors", "storefront.selectors", "api.products"):
        monkeypatch.setattr(f"stockline.{module}.product_search", spy)
    inventory = dashboard.inventory_products(company=company, filters=dashboard.InventoryFilters(q="widget"))
    staff = names(inventory)
    picker = names(dashboard.picker_products(company_id=company.id, q="widget"))
    page = storefront.catalog_page(
        company_id=company.id, filters=storefront.CatalogFilters(q="widget"), page_number=1
    )
    response = ApiClient(make_key(company)).get("/products", {"search": "widget"})
    assert calls == [False, False, True, True]
    assert staff == picker == ["Blue Widget", "Red Gadget"]  # staff: not the description
    buyers = ["Blue Widget", "Grey Crate", "Red Gadget"]
    assert names(page.object_list) == sorted(p["name"] for p in response.json()["data"]) == buyers
