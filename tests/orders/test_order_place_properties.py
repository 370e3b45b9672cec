"""Property: an order either takes exactly its merged quantities or changes nothing."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stockline.catalog.errors import InsufficientStock
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import Product
from stockline.catalog.services import product_create
from stockline.core.channels import Channel
from stockline.orders.models import Order
from stockline.orders.services import OrderLineInput, order_place


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    opening=st.lists(st.integers(0, 8), min_size=3, max_size=3),
    lines=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 6)), min_size=1, max_size=5),
)
def test_order_takes_merged_quantities_or_nothing(actor, opening, lines):
    with transaction.atomic():
        products = [
            product_create(actor=actor, channel=Channel.DASHBOARD, name=f"P{i}", price=1, stock=s)
            for i, s in enumerate(opening)
        ]
        wanted = {}
        for index, quantity in lines:
            wanted[index] = wanted.get(index, 0) + quantity
        fits = all(q <= opening[i] for i, q in wanted.items())
        orders_before = Order.objects.count()

        order_lines = [OrderLineInput(product_id=products[i].id, quantity=q) for i, q in lines]

        def place():
            return order_place(actor=actor, channel=Channel.DASHBOARD, lines=order_lines).order

        if fits:
            order = place()
            assert dict(order.lines.values_list("product_id", "quantity")) == {
                products[i].id: q for i, q in wanted.items()
            }
            expected = [s - wanted.get(i, 0) for i, s in enumerate(opening)]
        else:
            with pytest.raises(InsufficientStock) as info:
                place()
            short = {products[i].id for i, q in wanted.items() if q > opening[i]}
            assert {line.product_id for line in info.value.lines} == short
            assert Order.objects.count() == orders_before
            expected = opening

        stored = [Product.objects.get(id=p.id) for p in products]
        assert [p.stock for p in stored] == expected
        assert all(ledger_reconciles(p) for p in stored)
        transaction.set_rollback(True)
