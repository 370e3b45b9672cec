"""The storefront's pages and checkout run a fixed number of queries, however many rows they
show: a change here is a change to the hot path."""

import pytest
from django.db import connection

from stockline.core.channels import Channel
from stockline.orders.models import Order
from tests.factories import make_product, place
from tests.orders.test_order_place_queries import STATEMENTS as ORDER_PLACE_STATEMENTS
from tests.storefront.conftest import store_path

# Every customer page: the session, then the customer with their company and cart size (one query).
SIGNED_IN = 2
# count, the page's ids (index only), the page's rows with stock status, their cart quantities, categories
CATALOG_QUERIES = SIGNED_IN + 5
# A search whose first page has room to spare has nothing more to count.
SHORT_SEARCH_QUERIES = CATALOG_QUERIES - 1
PRODUCT_QUERIES = SIGNED_IN + 2  # the product with its stock status, how many the cart holds
CART_QUERIES = SIGNED_IN + 2  # the cart (PO number, notes), its lines with products and stock status
ORDERS_QUERIES = SIGNED_IN + 2  # count, one page of orders with their line counts
ORDER_QUERIES = SIGNED_IN + 2  # the order, its lines


def stocked(company, n: int):
    """n products in every stock state, across three categories."""
    return [make_product(company, stock=[0, 3, 100][i % 3] + 2, category=f"Aisle {i % 3}") for i in range(n)]


def fill_cart(client, company, products):
    for product in products:
        client.post(store_path(company, "cart/add"), {"product": str(product.id), "quantity": 1})


@pytest.mark.parametrize("rows", [4, 40])
@pytest.mark.parametrize("query", [{}, {"category": "Aisle 1"}, {"page": "2"}, {"q": "product"}])
def test_catalog_query_count_is_fixed(buyer_client, company, rows, query, django_assert_num_queries):
    fill_cart(buyer_client, company, stocked(company, rows)[:3])
    expected = SHORT_SEARCH_QUERIES if query.get("q") and rows < 24 else CATALOG_QUERIES
    with django_assert_num_queries(expected):
        assert buyer_client.get(store_path(company, "catalog"), query).status_code == 200


def test_product_page_query_count_is_fixed(buyer_client, company, django_assert_num_queries):
    product = stocked(company, 3)[1]
    fill_cart(buyer_client, company, [product])
    with django_assert_num_queries(PRODUCT_QUERIES):
        assert buyer_client.get(store_path(company, f"products/{product.id}")).status_code == 200


@pytest.mark.parametrize("lines", [3, 30])
def test_cart_query_count_is_fixed(buyer_client, company, lines, django_assert_num_queries):
    fill_cart(buyer_client, company, [p for p in stocked(company, lines * 2) if p.stock > 0][:lines])
    with django_assert_num_queries(CART_QUERIES):
        response = buyer_client.get(store_path(company, "cart"))
    assert len(response.context["cart"].lines) == lines


@pytest.mark.parametrize("orders", [2, 25])
def test_order_pages_query_counts_are_fixed(buyer_client, company, buyer, orders, django_assert_num_queries):
    products = [make_product(company, stock=1000) for _ in range(3)]
    for _ in range(orders):
        place(company, [(p, 1) for p in products], channel=Channel.STOREFRONT, customer=buyer)
    with django_assert_num_queries(ORDERS_QUERIES):
        assert buyer_client.get(store_path(company, "orders")).status_code == 200
    order = Order.objects.filter(customer=buyer).first()
    with django_assert_num_queries(ORDER_QUERIES):
        assert buyer_client.get(store_path(company, f"orders/{order.id}")).status_code == 200


def test_three_line_checkout_statements_are_pinned(buyer_client, company, django_assert_num_queries):
    products = [make_product(company, stock=6) for _ in range(3)]
    fill_cart(buyer_client, company, products)
    # 1-2   the session; the customer with company and cart size
    # 3     SAVEPOINT (checkout's transaction)
    # 4     SELECT the cart FOR UPDATE
    # 5     its lines with their products (posted quantities equal the cart's: nothing to write)
    # then  order_place with a low-stock email job (pinned in tests/orders/test_order_place_queries.py)
    # 1     DELETE the cart's lines
    # 1     UPDATE the cart (PO number and notes cleared)
    # 1     RELEASE SAVEPOINT
    # SQLite: 1 SELECT of the products whose status moved, for their product.low_stock events
    posted = {f"qty-{p.id}": "2" for p in products}
    fill_cart(buyer_client, company, products)  # the cart now holds 2 of each, as posted
    status_read = 1 if connection.vendor == "sqlite" else 0
    with django_assert_num_queries(8 + ORDER_PLACE_STATEMENTS[connection.vendor] + 2 + status_read):
        response = buyer_client.post(store_path(company, "checkout"), posted)
    assert response.status_code == 302
    assert Order.objects.get().lines.count() == 3


@pytest.mark.parametrize("lines", [3, 30])
def test_checkout_statements_do_not_grow_with_the_number_of_lines(
    buyer_client, company, lines, django_assert_num_queries
):
    """Storefront overhead is fixed (8 statements), and so is order_place's (one stock
    UPDATE for every line, one INSERT for all lines, one for all movements)."""
    products = [make_product(company, stock=100) for _ in range(lines)]
    fill_cart(buyer_client, company, products)
    with django_assert_num_queries(8 + ORDER_PLACE_STATEMENTS[connection.vendor]):
        buyer_client.post(store_path(company, "checkout"), {f"qty-{p.id}": "1" for p in products})
    assert Order.objects.get().lines.count() == lines
