"""Cancel with restock under concurrent callers: units go back at most once (SPEC §2)."""

import pytest

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.core.channels import Channel
from stockline.orders.errors import InvalidTransition
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.services import order_status_change
from tests.concurrency.support import ledger_chain_breaks, run_concurrently, unexpected_errors
from tests.factories import make_company, make_product, owner_actor, place

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_concurrent_cancels_with_restock_put_the_units_back_once():
    company = make_company()[0]
    bolts = make_product(company, stock=20)
    nuts = make_product(company, stock=30)
    order = place(company, [(bolts, 3), (nuts, 5)])
    actor = owner_actor(company)

    outcomes = run_concurrently(
        lambda i: order_status_change(
            actor=actor,
            channel=Channel.DASHBOARD,
            order_id=order.id,
            status=OrderStatus.CANCELLED,
            restock=True,
        ),
        16,
    )

    assert unexpected_errors(outcomes, InvalidTransition) == []
    assert sum(o.error is None for o in outcomes) == 1
    assert {o.error.message for o in outcomes if o.error is not None} == {
        "Cannot change an order from CANCELLED to CANCELLED."
    }
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.restocked_at is not None
    restocks = StockMovement.objects.filter(order=order, reason=MovementReason.RESTOCK)
    assert sorted(restocks.values_list("product_id", "delta")) == sorted([(bolts.id, 3), (nuts.id, 5)])
    changes = AuditEntry.objects.filter(
        action=AuditAction.ORDER_STATUS_CHANGED, entity_type="order", entity_id=str(order.id)
    )
    assert changes.count() == 1
    for product, opening in ((bolts, 20), (nuts, 30)):
        product = Product.objects.get(id=product.id)
        assert product.stock == opening
        assert ledger_chain_breaks(product) == []
        assert ledger_reconciles(product)
