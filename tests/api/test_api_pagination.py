"""Cursor pagination of every list: newest first, complete walks, limit clamping, bad cursors."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from stockline.catalog.models import Product
from stockline.customers.models import Customer
from stockline.orders.models import Order
from tests.api.conftest import error_of, newest_first
from tests.factories import make_customer, make_product, place


def _products(company, n):
    return [make_product(company) for _ in range(n)]


def _customers(company, n):
    return [make_customer(company) for _ in range(n)]


def _orders(company, n):
    product = make_product(company)
    return [place(company, [(product, 1)]) for _ in range(n)]


LISTS = [("/products", Product, _products), ("/orders", Order, _orders), ("/customers", Customer, _customers)]
LIST_IDS = [path for path, _, _ in LISTS]


def walk(api, path, **params) -> tuple[list[str], list[dict]]:
    """Every id of a list, following nextCursor page by page; and every page's pagination."""
    seen, paginations, cursor = [], [], None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        body = api.get(path, query).json()
        page = [item["id"] for item in body["data"]]
        seen += page
        paginations.append(body["pagination"])
        cursor = body["pagination"]["nextCursor"]
        if not body["pagination"]["hasMore"]:
            assert cursor is None
            return seen, paginations
        assert cursor == page[-1]
        assert len(paginations) < 50


@pytest.mark.parametrize(("path", "model", "make"), LISTS, ids=LIST_IDS)
def test_a_list_is_newest_first_and_pages_walk_every_item_once(api, company, path, model, make):
    items = newest_first(model, make(company, 7))
    expected = [str(item.id) for item in items]

    seen, paginations = walk(api, path, limit=3)

    assert seen == expected
    assert [p["hasMore"] for p in paginations] == [True, True, False]
    assert [p["nextCursor"] for p in paginations] == [expected[2], expected[5], None]


@pytest.mark.parametrize(("path", "model", "make"), LISTS, ids=LIST_IDS)
def test_items_created_at_the_same_instant_are_neither_repeated_nor_skipped(api, company, path, model, make):
    items = make(company, 5)
    model.objects.filter(id__in=[i.id for i in items]).update(created_at=timezone.now())

    seen, _ = walk(api, path, limit=2)

    assert sorted(seen) == sorted(str(i.id) for i in items)
    assert len(seen) == len(set(seen))


def test_an_exact_last_page_says_there_is_no_more(api, company):
    newest_first(Product, _products(company, 4))
    body = api.get("/products", {"limit": 4}).json()
    assert len(body["data"]) == 4
    assert body["pagination"] == {"hasMore": False, "nextCursor": None}


def test_an_empty_list(api, company):
    assert api.get("/orders").json() == {"data": [], "pagination": {"hasMore": False, "nextCursor": None}}


def test_items_added_while_walking_do_not_disturb_the_walk(api, company):
    items = newest_first(Product, _products(company, 4))
    first = api.get("/products", {"limit": 2}).json()
    make_product(company)  # newer than everything: it belongs before the cursor
    second = api.get("/products", {"limit": 2, "cursor": first["pagination"]["nextCursor"]}).json()
    assert [p["id"] for p in first["data"] + second["data"]] == [str(i.id) for i in items]


def test_pages_follow_the_filters(api, company):
    healthy = _products(company, 3)
    empty = [make_product(company, stock=0) for _ in range(3)]
    newest_first(Product, healthy + empty)
    seen, _ = walk(api, "/products", limit=2, stockStatus="OUT_OF_STOCK")
    assert seen == [str(p.id) for p in reversed(empty)]


@pytest.fixture
def many_products(company):
    """101 products, oldest first, made in bulk."""
    start = timezone.now() - timedelta(days=1)
    Product.objects.bulk_create(
        Product(company=company, name=f"Bulk {i}", price=Decimal("1.00"), created_at=start)
        for i in range(101)
    )
    return Product.objects.filter(company=company)


@pytest.mark.parametrize(
    ("limit", "size"),
    [
        (None, 50),
        ("1", 1),
        ("0", 1),
        ("-5", 1),
        ("100", 100),
        ("101", 100),
        ("1000", 100),
        ("abc", 50),
        ("", 50),
    ],
)
def test_limit_defaults_to_50_and_is_clamped_to_1_to_100(api, many_products, limit, size):
    params = {} if limit is None else {"limit": limit}
    body = api.get("/products", params).json()
    assert len(body["data"]) == size
    assert body["pagination"]["hasMore"] is True


@pytest.mark.parametrize(("path", "model", "make"), LISTS, ids=LIST_IDS)
@pytest.mark.parametrize("cursor", ["garbage", "0190e6a4-0000-7000-8000-000000000000"])
def test_a_cursor_that_is_no_item_of_the_list_is_a_400(api, company, path, model, make, cursor):
    make(company, 1)
    assert error_of(api.get(path, {"cursor": cursor}), 400) == "Invalid cursor."


def test_a_cursor_from_another_list_is_a_400(api, company):
    (product,) = _products(company, 1)
    assert error_of(api.get("/customers", {"cursor": str(product.id)}), 400) == "Invalid cursor."
