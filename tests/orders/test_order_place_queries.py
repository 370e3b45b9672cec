"""Pinned statement counts for placing an order: a change here is a change to the hot path."""

import pytest
from django.db import connection

from stockline.catalog.models import Product
from stockline.core.channels import Channel
from stockline.notifications.models import LowStockAlert
from stockline.orders.models import Order, OrderLine
from tests.factories import make_customer, make_product, owner_actor, place

# Any number of lines (tests/storefront/test_query_counts.py checks 3 and 30), inside a
# caller's transaction (the test's).
STATEMENTS = {"sqlite": 7, "postgresql": 3}


def test_three_line_dashboard_order_statements_are_pinned(company, django_assert_num_queries):
    products = [make_product(company, stock=50) for _ in range(3)]
    actor = owner_actor(company)
    # 1     SAVEPOINT (the service's transaction, nested in the test's)
    # SQLite:
    # 1     UPDATE product SET stock = stock - n ... WHERE stock >= n RETURNING ... (every
    #       line), returning too the company threshold and the next order number
    #       (MAX(number) + 1)
    # 4     INSERT order, audit entry (OrderPlaced), order lines, stock movements: one
    #       multi-row statement each
    # PostgreSQL:
    # 1     all of it in one statement (orders.place_postgresql): the rows locked in pk
    #       order, the decrement, nextval, the four INSERTs
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
    with django_assert_num_queries(STATEMENTS[connection.vendor] + 2):
        place(company, [(p, 2) for p in products], channel=Channel.STOREFRONT, customer=buyer)
    assert len(LowStockAlert.objects.get().items) == 3


def test_placed_order_renders_its_lines_without_another_query(company, django_assert_num_queries):
    products = [make_product(company, name=name, stock=10) for name in ("Bravo", "Alpha", "Charlie")]
    order = place(company, [(p, 1) for p in products])
    with django_assert_num_queries(0):
        names = [line.product_name for line in order.lines.all()]
    assert names == ["Alpha", "Bravo", "Charlie"]


def test_placed_order_counts_its_lines_as_prefetched(company, django_assert_num_queries):
    from django.db.models import prefetch_related_objects

    order = place(company, [(make_product(company, stock=10), 1), (make_product(company, stock=10), 2)])
    with django_assert_num_queries(0):
        prefetch_related_objects([order], "lines")  # nothing left to fetch
        assert "lines" in order._prefetched_objects_cache
        assert sorted(line.quantity for line in order.lines.all()) == [1, 2]


def test_placed_order_lines_are_queried_again_once_dropped(company, django_assert_num_queries):
    order = place(company, [(make_product(company, stock=10), 1), (make_product(company, stock=10), 2)])
    with django_assert_num_queries(1):
        assert [line.quantity for line in order.lines.filter(quantity=2)] == [2]  # filtered in SQL
    OrderLine.objects.filter(order=order, quantity=1).delete()
    order.refresh_from_db(fields=["lines"])  # drops the prefetched lines, before or after first use
    with django_assert_num_queries(1):
        assert [line.quantity for line in order.lines.all()] == [2]


def test_placed_order_lines_dropped_by_the_manager_are_queried_again(company, django_assert_num_queries):
    order = place(company, [(make_product(company, stock=10), 1)])
    order._prefetched_objects_cache.pop("lines", None)  # what lines.add/remove/clear do
    OrderLine.objects.filter(order=order).delete()
    with django_assert_num_queries(1):
        assert list(order.lines.all()) == []


def test_placed_lines_are_the_new_orders_lines_in_display_order(company, django_assert_num_queries):
    from stockline.orders.services import placed_lines

    products = [make_product(company, name=name, stock=10) for name in ("Bravo", "Alpha", "Charlie")]
    order = place(company, [(p, 1) for p in products])
    with django_assert_num_queries(0):
        before = [line.id for line in placed_lines(order)]
        assert before == [line.id for line in order.lines.all()]  # the queryset, once made, agrees
        assert [line.id for line in placed_lines(order)] == before
    assert [line.product_name for line in placed_lines(order)] == ["Alpha", "Bravo", "Charlie"]
    order.refresh_from_db(fields=["lines"])
    assert placed_lines(order) is None  # dropped: the caller queries them
    assert placed_lines(Order.objects.get(id=order.id)) is None
