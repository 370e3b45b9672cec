"""order_place under real concurrent callers: no oversell, no deadlock (SPEC §2)."""

import pytest

from stockline.catalog.errors import InsufficientStock
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.orders.models import Order
from tests.concurrency.support import ledger_chain_breaks, run_concurrently, unexpected_errors
from tests.factories import make_company, make_product, place

pytestmark = pytest.mark.django_db(transaction=True)


def test_50_buyers_of_the_last_10_units_get_exactly_10_orders():
    company = make_company()[0]
    product = make_product(company, name="Last Case", stock=10)

    outcomes = run_concurrently(lambda i: place(company, [(product, 1)]), 50)

    assert unexpected_errors(outcomes, InsufficientStock) == []
    orders = [o.value for o in outcomes if o.error is None]
    refusals = [o.error for o in outcomes if o.error is not None]
    assert len(orders) == 10
    assert len(refusals) == 40
    assert {e.message for e in refusals} == {"Not enough stock for Last Case. Only 0 available."}
    assert Order.objects.filter(company=company).count() == 10
    assert len({o.number for o in orders}) == 10
    product.refresh_from_db()
    assert product.stock == 0
    movements = StockMovement.objects.filter(product=product, reason=MovementReason.ORDER)
    assert movements.count() == 10
    assert not movements.filter(stock_after__lt=0).exists()
    assert set(movements.values_list("order_id", flat=True)) == {o.id for o in orders}
    assert ledger_chain_breaks(product) == []
    assert ledger_reconciles(product)


def test_orders_listing_the_same_products_in_opposite_orders_never_deadlock():
    company = make_company()[0]
    products = [make_product(company, stock=1000) for _ in range(3)]
    threads, orders_each = 8, 20
    # Half the threads list the lines one way round, half the other way.
    forward = [(p, 1) for p in products]
    backward = forward[::-1]

    def buyer(i: int) -> int:
        for _ in range(orders_each):
            place(company, forward if i % 2 else backward)
        return orders_each

    outcomes = run_concurrently(buyer, threads)

    assert [o.error for o in outcomes] == [None] * threads
    placed = threads * orders_each
    assert Order.objects.filter(company=company).count() == placed
    for product in Product.objects.filter(id__in=[p.id for p in products]):
        assert product.stock == 1000 - placed
        assert StockMovement.objects.filter(product=product, reason=MovementReason.ORDER).count() == placed
        assert ledger_chain_breaks(product) == []
        assert ledger_reconciles(product)


@pytest.mark.parametrize(("stock", "raised_to", "wanted"), [(1, 10, 5), (10, 0, 5)])
def test_an_order_waiting_on_a_stock_change_sees_the_new_level(stock, raised_to, wanted):
    """Another transaction changes the stock after the order's statement began and before it
    gets the row lock: the order is decided on the new level, never on the one its snapshot
    saw (raised: the order is placed in full; lowered to zero: refused, nothing written)."""
    import threading

    from django.db import connection, transaction

    company = make_company()[0]
    product = make_product(company, name="Contested", stock=stock)
    other = make_product(company, stock=50)
    holding, release = threading.Event(), threading.Event()

    def restocker(i: int) -> None:
        with transaction.atomic():
            Product.objects.select_for_update().filter(id=product.id).update(stock=raised_to)
            holding.set()
            release.wait(timeout=10)  # the order's statement starts meanwhile and waits for the lock
        connection.close()

    def buyer(i: int):
        holding.wait(timeout=10)
        timer = threading.Timer(0.3, release.set)  # commit the change once the order is waiting
        timer.start()
        return place(company, [(other, 1), (product, wanted)])

    outcomes = run_concurrently(lambda i: restocker(i) if i == 0 else buyer(i), 2)

    product.refresh_from_db()
    other.refresh_from_db()
    if raised_to >= wanted:
        assert outcomes[1].error is None
        assert (product.stock, other.stock) == (raised_to - wanted, 49)
        assert outcomes[1].value.lines.count() == 2
    else:
        assert isinstance(outcomes[1].error, InsufficientStock)
        assert outcomes[1].error.message == f"Not enough stock for Contested. Only {raised_to} available."
        assert (product.stock, other.stock) == (raised_to, 50)
        assert not Order.objects.filter(company=company).exists()
