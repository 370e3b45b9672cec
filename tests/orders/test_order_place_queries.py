"""Pinned statement counts for placing an order: a change here is a change to the hot path."""

import pytest
from django.db import connection

from stockline.catalog.models import Product
from stockline.core.channels import Channel
from stockline.notifications.models import LowStockAlert
from stockline.orders.models import Order
from stockline.orders.services import OrderLineInput, order_place
from tests.factories import make_customer, make_product, owner_actor, place

# Any number of lines (tests/storefront/test_query_counts.py checks 3 and 30), inside a
# caller's transaction (the test's).
STATEMENTS = {"sqlite": 8, "postgresql": 3}


def test_three_line_dashboard_order_statements_are_pinned(company, django_assert_num_queries):
    products = [make_product(company, stock=50) for _ in range(3)]
    actor = owner_actor(company)
    # 1     SAVEPOINT (the service's transaction, nested in the test's)
    # SQLite (orders.placement.sqlite):
    # 1     UPDATE product SET stock = stock - n ... WHERE stock >= n RETURNING ... (every
    #       line), returning too the company threshold and the next order number
    #       (MAX(number) + 1)
    # 5     INSERT order, audit entry (OrderPlaced), order lines, stock movements, their
    #       stock.changed events: one statement each
    # PostgreSQL (orders.placement.postgresql):
    # 1     all of it in one statement: the rows locked in pk order, the decrement,
    #       nextval, the five INSERTs
    # 1     RELEASE SAVEPOINT
    with django_assert_num_queries(STATEMENTS[connection.vendor]):
        place(company, [(p, 2) for p in products], actor=actor)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite needs BEGIN IMMEDIATE")
def test_an_order_outside_a_transaction_is_one_statement_on_postgresql(company, django_assert_num_queries):
    products = [make_product(company, stock=50) for _ in range(3)]
    actor = owner_actor(company)
    with django_assert_num_queries(1):  # its own transaction: no BEGIN, no COMMIT round trip
        order = place(company, [(p, 2) for p in products], actor=actor)
    assert Order.objects.get(id=order.id).lines.count() == 3
    assert [p.stock for p in Product.objects.filter(id__in=[p.id for p in products])] == [48] * 3


def test_three_line_storefront_order_with_low_stock_job_statements_are_pinned(
    company, django_assert_num_queries
):
    products = [make_product(company, stock=6) for _ in range(3)]
    buyer = make_customer(company)
    # as the dashboard order above, then
    # 1     INSERT low-stock alert
    # 1     INSERT its email job (django_tasks_db DBTaskResult)
    # (the low-stock check itself needs no query: the decrement returned each product's
    # stock and threshold override, the order-number statement the company default)
    # SQLite: 1 SELECT of the products whose status moved, for their product.low_stock events
    # (PostgreSQL's one statement writes those events itself)
    status_read = 1 if connection.vendor == "sqlite" else 0
    with django_assert_num_queries(STATEMENTS[connection.vendor] + 2 + status_read):
        place(company, [(p, 2) for p in products], channel=Channel.STOREFRONT, customer=buyer)
    assert len(LowStockAlert.objects.get().items) == 3


def test_placed_order_comes_with_its_lines_in_display_order_without_another_query(
    company, django_assert_num_queries
):
    products = [make_product(company, name=name, stock=10) for name in ("Bravo", "Alpha", "Charlie")]
    actor = owner_actor(company)
    placed = order_place(
        actor=actor,
        channel=Channel.DASHBOARD,
        lines=[OrderLineInput(product_id=p.id, quantity=1) for p in products],
    )
    with django_assert_num_queries(0):
        assert [line.product_name for line in placed.lines] == ["Alpha", "Bravo", "Charlie"]
        assert all(line.order is placed.order for line in placed.lines)
    stored = list(placed.order.lines.all())  # the ORM's own, in Meta.ordering
    assert [(line.id, line.quantity, line.unit_price) for line in placed.lines] == [
        (line.id, line.quantity, line.unit_price) for line in stored
    ]
