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
