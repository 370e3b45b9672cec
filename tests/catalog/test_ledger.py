"""SPEC §1 Stock movement: the append-only ledger reconciles with every product's stock."""

import pytest
from django.db import transaction
from django.db.models import F

from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import BulkMode, product_update, stock_adjust, stock_bulk_adjust
from stockline.core.channels import Channel
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.services import order_status_change
from tests.factories import make_customer, make_product, place


def test_ledger_reconciles_after_every_kind_of_stock_change(actor, company):
    a = make_product(company, stock=20)
    b = make_product(company, stock=3, low_stock_threshold=1)
    c = make_product(company, stock=0)
    buyer = make_customer(company)

    first = place(company, [(a, 5), (b, 2)])
    place(company, [(a, 4)], channel="STOREFRONT", customer=buyer)
    place(company, [(b, 1)], channel="API")
    product_update(actor=actor, channel=Channel.DASHBOARD, product_id=c.id, changes={"stock": 12})
    product_update(actor=actor, channel=Channel.API, product_id=a.id, changes={"stock": 9})
    stock_bulk_adjust(
        actor=actor, channel=Channel.DASHBOARD, product_ids=[a.id, b.id, c.id], mode=BulkMode.DELTA, value=-4
    )
    stock_adjust(actor=actor, channel=Channel.API, product_id=c.id, delta=7)
    order_status_change(
        actor=actor, channel=Channel.DASHBOARD, order_id=first.id, status=OrderStatus.CANCELLED, restock=True
    )
    stock_bulk_adjust(actor=actor, channel=Channel.DASHBOARD, product_ids=[b.id], mode=BulkMode.SET, value=40)

    products = list(Product.objects.filter(id__in=[a.id, b.id, c.id]))
    assert {p.id: p.stock for p in products} == {a.id: 10, b.id: 40, c.id: 15}
    assert all(ledger_reconciles(p) for p in products)
    reasons = set(StockMovement.objects.filter(company=company).values_list("reason", flat=True))
    assert reasons == {
        MovementReason.EDIT,
        MovementReason.API,
        MovementReason.ORDER,
        MovementReason.BULK_DELTA,
        MovementReason.BULK_SET,
        MovementReason.RESTOCK,
    }


def test_every_movement_starts_where_the_previous_one_ended(actor, company):
    product = make_product(company, stock=10)
    place(company, [(product, 3)])
    stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, delta=-2)
    stock_bulk_adjust(
        actor=actor, channel=Channel.DASHBOARD, product_ids=[product.id], mode=BulkMode.DELTA, value=-50
    )
    rows = list(product.movements.order_by("created_at", "id").values_list("stock_before", "stock_after"))
    assert rows == [(0, 10), (10, 7), (7, 5), (5, 0)]


def test_ledger_does_not_reconcile_when_stock_changes_without_a_movement(company):
    product = make_product(company, stock=10)
    Product.objects.filter(id=product.id).update(stock=F("stock") + 1)
    assert not ledger_reconciles(Product.objects.get(id=product.id))


def test_product_without_movements_reconciles_only_at_zero(company):
    empty = Product.objects.create(company=company, name="Bare", price=1, stock=0)
    stocked = Product.objects.create(company=company, name="Bare", price=1, stock=4)
    assert ledger_reconciles(empty)
    assert not ledger_reconciles(stocked)


def test_movement_cannot_be_saved_again(company):
    movement = make_product(company, stock=3).movements.get()
    movement.note = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        movement.save()
    assert StockMovement.objects.get(id=movement.id).note == "Opening stock"


def test_movement_cannot_be_deleted(company):
    movement = make_product(company, stock=3).movements.get()
    with pytest.raises(TypeError, match="append-only"):
        movement.delete()
    assert StockMovement.objects.filter(id=movement.id).exists()


def test_movements_cannot_be_updated_or_deleted_in_bulk(company):
    product = make_product(company, stock=3)
    with pytest.raises(TypeError, match="append-only"):
        StockMovement.objects.filter(product=product).update(delta=0)
    with pytest.raises(TypeError, match="append-only"):
        StockMovement.objects.filter(product=product).delete()
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        StockMovement.objects.bulk_update(list(product.movements.all()), ["note"])
    assert product.movements.get().delta == 3
