"""SPEC §3 and §5: the catalog of active products, search, categories, pages, stock status,
and the product page."""

from decimal import Decimal

import pytest

from stockline.catalog.models import Product
from stockline.catalog.stock_rules import StockStatus
from stockline.storefront.selectors import CATALOG_PAGE_SIZE
from tests.factories import make_product
from tests.storefront.conftest import store_path


def names(response) -> list[str]:
    return [row.product.name for row in response.context["rows"]]


def test_catalog_lists_active_products_in_and_out_of_stock_but_never_inactive_ones(buyer_client, company):
    make_product(company, name="Paper Towels", stock=40)
    make_product(company, name="Bin Liners", stock=0)
    make_product(company, name="Discontinued Mop", stock=40, is_active=False)

    response = buyer_client.get(store_path(company, "catalog"))

    assert names(response) == ["Bin Liners", "Paper Towels"]
    assert "Discontinued Mop" not in response.content.decode()


def test_out_of_stock_product_is_flagged_and_cannot_be_added(buyer_client, company):
    product = make_product(company, name="Bin Liners", stock=0)
    page = buyer_client.get(store_path(company, "catalog")).content.decode()
    row = page[page.index("Bin Liners") :]
    row = row[: row.index("</li>")]
    assert "Out of stock" in row
    assert 'name="quantity"' not in row
    assert "disabled>Out of stock</button>" in row
    assert f'value="{product.id}"' in row


@pytest.mark.parametrize(
    ("stock", "override", "badge"),
    [
        (0, None, '<span class="stock stock-out">Out of stock</span>'),
        (1, None, '<span class="stock stock-low">Only 1 left</span>'),
        (5, None, '<span class="stock stock-low">Only 5 left</span>'),
        (6, None, '<span class="stock stock-in">In stock</span>'),
        (8, 10, '<span class="stock stock-low">Only 8 left</span>'),
        (3, 2, '<span class="stock stock-in">In stock</span>'),
    ],
)
def test_stock_status_shown_follows_the_effective_threshold(buyer_client, company, stock, override, badge):
    make_product(company, name="Gloves", stock=stock, low_stock_threshold=override)
    assert badge in buyer_client.get(store_path(company, "catalog")).content.decode()


def test_the_company_default_threshold_decides_low_stock(buyer_client, company):
    company.low_stock_threshold = 10
    company.save()
    make_product(company, name="Gloves", stock=8)
    assert "Only 8 left" in buyer_client.get(store_path(company, "catalog")).content.decode()


@pytest.mark.parametrize("query", ["nitrile", "NITRILE", "GLV-0042", "glv-00", "safety", "powder-free"])
def test_search_matches_name_sku_category_and_description_ignoring_case(buyer_client, company, query):
    make_product(
        company,
        name="Nitrile Gloves",
        sku="GLV-0042",
        category="Safety & PPE",
        description="Box of 100, powder-free.",
    )
    make_product(company, name="Paper Towels", sku="PPR-1", category="Paper", description="Two-ply.")
    response = buyer_client.get(store_path(company, "catalog"), {"q": query})
    assert names(response) == ["Nitrile Gloves"]


def test_search_never_finds_inactive_products(buyer_client, company):
    make_product(company, name="Nitrile Gloves", is_active=False)
    response = buyer_client.get(store_path(company, "catalog"), {"q": "nitrile"})
    assert names(response) == []
    assert "No products found" in response.content.decode()


def test_category_filter_and_the_category_list_of_active_products(buyer_client, company):
    make_product(company, name="Cola", category="Beverages")
    make_product(company, name="Tea", category="Beverages")
    make_product(company, name="Mop", category="Cleaning")
    make_product(company, name="Old Stock", category="Discontinued", is_active=False)

    response = buyer_client.get(store_path(company, "catalog"), {"category": "Beverages"})

    assert names(response) == ["Cola", "Tea"]
    assert response.context["categories"] == ["Beverages", "Cleaning"]


def test_search_and_category_combine(buyer_client, company):
    make_product(company, name="Green Tea", category="Beverages")
    make_product(company, name="Green Soap", category="Cleaning")
    response = buyer_client.get(store_path(company, "catalog"), {"q": "green", "category": "Cleaning"})
    assert names(response) == ["Green Soap"]


def test_catalog_pages_hold_24_products_and_say_which_are_shown(buyer_client, company):
    for n in range(CATALOG_PAGE_SIZE + 5):
        make_product(company, name=f"Item {n:02d}")
    first = buyer_client.get(store_path(company, "catalog"))
    second = buyer_client.get(store_path(company, "catalog"), {"page": 2})
    assert len(names(first)) == 24
    assert names(second) == [f"Item {n:02d}" for n in range(24, 29)]
    assert "Showing 25–29 of 29 products" in second.content.decode()
    assert names(buyer_client.get(store_path(company, "catalog"), {"page": "junk"})) == names(first)


def test_catalog_reads_like_a_price_list_by_category_then_name(buyer_client, company):
    make_product(company, name="Tea", category="Beverages")
    make_product(company, name="Mop", category="Cleaning")
    make_product(company, name="Cola", category="Beverages")
    make_product(company, name="Twine", category="")
    response = buyer_client.get(store_path(company, "catalog"))
    assert names(response) == ["Twine", "Cola", "Tea", "Mop"]
    page = response.content.decode()
    headings = [
        page.index(f'<li class="category-heading">{c}</li>') for c in ("General", "Beverages", "Cleaning")
    ]
    assert headings == sorted(headings)


def test_a_product_deactivated_between_the_pages_queries_is_left_out(buyer_client, company, monkeypatch):
    from stockline.storefront import paging

    kept = make_product(company, name="Kept")
    gone = make_product(company, name="Gone")
    real_page = paging.browse_page

    def page_then_deactivate(*args, **kwargs):
        page = real_page(*args, **kwargs)
        Product.objects.filter(id=gone.id).update(is_active=False)
        return page

    monkeypatch.setattr(paging, "browse_page", page_then_deactivate)
    assert names(buyer_client.get(store_path(company, "catalog"))) == [kept.name]


def test_catalog_needs_a_signed_in_customer(client, company):
    make_product(company, name="Nitrile Gloves")
    response = client.get(store_path(company, "catalog"))
    assert response.status_code == 302
    assert "Nitrile Gloves" not in response.content.decode()


def test_product_page_shows_price_unit_description_and_stock_state(buyer_client, company):
    product = make_product(
        company,
        name="Nitrile Gloves",
        sku="GLV-0042",
        unit="case",
        price=Decimal("24.90"),
        description="Box of 100, powder-free.",
        stock=3,
    )
    response = buyer_client.get(store_path(company, f"products/{product.id}"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Nitrile Gloves",
        "GLV-0042",
        "$24.90",
        "per case",
        "Box of 100, powder-free.",
        "Only 3 left",
    ]:
        assert text in page
    assert response.context["product"].stock_status == StockStatus.LOW_STOCK


def test_out_of_stock_product_page_is_flagged_and_offers_no_add(buyer_client, company):
    product = make_product(company, name="Bin Liners", stock=0)
    page = buyer_client.get(store_path(company, f"products/{product.id}")).content.decode()
    assert "Out of stock" in page
    assert 'name="quantity"' not in page


def test_inactive_product_page_is_a_404(buyer_client, company):
    product = make_product(company, is_active=False)
    assert buyer_client.get(store_path(company, f"products/{product.id}")).status_code == 404


def test_a_search_matching_more_than_forty_pages_says_so_and_pages_through_the_first_forty(
    buyer_client, company, monkeypatch
):
    from stockline.storefront import paging

    monkeypatch.setattr(paging, "SEARCH_PAGES", 2)  # 48 products instead of 960
    for n in range(50):
        make_product(company, name=f"Gloves {n:02d}")
    make_product(company, name="Paper Towels")

    first = buyer_client.get(store_path(company, "catalog"), {"q": "gloves"})
    assert "Showing 1–24 of 48+ products" in first.content.decode()
    second = buyer_client.get(store_path(company, "catalog"), {"q": "gloves", "page": 9})
    assert names(second) == [f"Gloves {n:02d}" for n in range(24, 48)]


def test_a_page_past_the_last_shows_the_last(buyer_client, company):
    for n in range(30):
        make_product(company, name=f"Gloves {n:02d}")
    for query in ({"page": 99}, {"q": "gloves", "page": 3}):
        response = buyer_client.get(store_path(company, "catalog"), query)
        assert names(response) == [f"Gloves {n:02d}" for n in range(24, 30)]
        assert "Showing 25–30 of 30 products" in response.content.decode()


def test_the_category_list_skips_blank_and_inactive_categories_in_order(buyer_client, company):
    for category in ("Snacks", "", "Beverages", "Cleaning", "Beverages", "Zinc"):
        make_product(company, category=category)
    make_product(company, category="Archived", is_active=False)
    response = buyer_client.get(store_path(company, "catalog"))
    assert response.context["categories"] == ["Beverages", "Cleaning", "Snacks", "Zinc"]
