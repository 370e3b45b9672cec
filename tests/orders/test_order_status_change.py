"""SPEC §2 Order statuses, and cancel/refund never restocking unless asked, at most once."""

import itertools
from uuid import uuid4

import pytest

from stockline.accounts.models import Role
from stockline.accounts.permissions import PermissionDenied
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import product_bulk_set_active
from stockline.core.channels import Channel
from stockline.orders.errors import InvalidTransition, OrderNotFound
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.models import Order
from stockline.orders.services import OrderInvalid, order_status_change
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_customer, make_member, make_product, place

S = OrderStatus
# SPEC §2, written out independently of orders.lifecycle.
ALLOWED = {
    (S.SUBMITTED, S.CONFIRMED),
    (S.SUBMITTED, S.CANCELLED),
    (S.CONFIRMED, S.SHIPPED),
    (S.CONFIRMED, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
    (S.SHIPPED, S.REFUNDED),
    (S.DELIVERED, S.REFUNDED),
}
DISALLOWED = sorted(set(itertools.product(S.values, S.values)) - {(a.value, b.value) for a, b in ALLOWED})


def change(actor, order, status, **kwargs):
    return order_status_change(
        actor=actor, channel=Channel.DASHBOARD, order_id=order.id, status=status, **kwargs
    )


def order_in(company, status, items=None):
    """An order in `status`, moved there directly (the path is not under test here)."""
    order = place(company, items or [(make_product(company, stock=10), 2)])
    Order.objects.filter(id=order.id).update(status=status)
    return Order.objects.get(id=order.id)


def stock_of(product) -> int:
    return Product.objects.get(id=product.id).stock


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transition_changes_the_status_and_is_audited(company, actor, owner, current, target):
    order = order_in(company, current)
    changed = change(actor, order, target)
    assert changed.status == target
    assert Order.objects.get(id=order.id).status == target
    entry = AuditEntry.objects.get(action=AuditAction.ORDER_STATUS_CHANGED)
    assert (entry.entity_type, entry.entity_id, entry.actor_user_id) == (
        "order",
        str(order.id),
        owner.user_id,
    )
    assert entry.metadata == {"status": [current, target], "restocked": False}


@pytest.mark.parametrize(("current", "target"), DISALLOWED)
def test_disallowed_transition_is_refused_and_writes_nothing(company, actor, current, target):
    order = order_in(company, current)
    before = rows_written()
    with pytest.raises(InvalidTransition) as info:
        change(actor, order, target)
    assert (info.value.current, info.value.target) == (current, target)
    assert info.value.message == f"Cannot change an order from {current} to {target}."
    assert rows_written() == before
    assert Order.objects.get(id=order.id).status == current


def test_the_whole_happy_path_runs_in_order(company, actor):
    order = place(company, [(make_product(company), 1)])
    for status in (S.CONFIRMED, S.SHIPPED, S.DELIVERED, S.REFUNDED):
        change(actor, order, status)
    history = [
        e.metadata["status"] for e in AuditEntry.objects.filter(action=AuditAction.ORDER_STATUS_CHANGED)
    ]
    assert sorted(history) == sorted(
        [
            ["SUBMITTED", "CONFIRMED"],
            ["CONFIRMED", "SHIPPED"],
            ["SHIPPED", "DELIVERED"],
            ["DELIVERED", "REFUNDED"],
        ]
    )


@pytest.mark.parametrize("status", ["BOGUS", "shipped", "", "Cancelled"])
def test_unknown_status_is_invalid_order_status(company, actor, status):
    order = order_in(company, S.SUBMITTED)
    before = rows_written()
    with pytest.raises(OrderInvalid) as info:
        change(actor, order, status)
    assert info.value.message == "Invalid order status."
    assert rows_written() == before


@pytest.mark.parametrize(("current", "target"), [(S.SUBMITTED, S.CANCELLED), (S.SHIPPED, S.REFUNDED)])
def test_cancel_and_refund_never_restock_by_default(company, actor, current, target):
    product = make_product(company, stock=10)
    order = order_in(company, current, [(product, 4)])
    change(actor, order, target)
    assert stock_of(product) == 6
    assert not StockMovement.objects.filter(reason=MovementReason.RESTOCK).exists()
    assert Order.objects.get(id=order.id).restocked_at is None


@pytest.mark.parametrize(
    ("current", "target"), [(S.SUBMITTED, S.CANCELLED), (S.CONFIRMED, S.CANCELLED), (S.DELIVERED, S.REFUNDED)]
)
def test_restock_puts_every_line_back_with_restock_movements(company, actor, current, target):
    a = make_product(company, stock=10)
    b = make_product(company, stock=3)
    order = order_in(company, current, [(a, 4), (b, 3)])
    change(actor, order, target, restock=True)
    assert (stock_of(a), stock_of(b)) == (10, 3)
    entry = AuditEntry.objects.get(action=AuditAction.ORDER_STATUS_CHANGED)
    assert entry.metadata == {"status": [current, target], "restocked": True}
    movements = {m.product_id: m for m in StockMovement.objects.filter(reason=MovementReason.RESTOCK)}
    assert (movements[a.id].stock_before, movements[a.id].delta, movements[a.id].stock_after) == (6, 4, 10)
    assert (movements[b.id].stock_before, movements[b.id].delta, movements[b.id].stock_after) == (0, 3, 3)
    assert {(m.order_id, m.audit_entry_id) for m in movements.values()} == {(order.id, entry.id)}
    assert Order.objects.get(id=order.id).restocked_at is not None


def test_restock_adds_to_the_current_stock_not_the_stock_at_order_time(company, actor):
    product = make_product(company, stock=10)
    order = place(company, [(product, 4)])
    place(company, [(product, 5)])  # stock now 1
    change(actor, order, S.CANCELLED, restock=True)
    assert stock_of(product) == 5


def test_restock_reaches_a_product_deactivated_since_the_order(company, actor):
    product = make_product(company, stock=10)
    order = place(company, [(product, 4)])
    product_bulk_set_active(actor=actor, channel=Channel.DASHBOARD, product_ids=[product.id], is_active=False)
    change(actor, order, S.CANCELLED, restock=True)
    assert stock_of(product) == 10


def test_order_cannot_be_restocked_twice(company, actor):
    product = make_product(company, stock=10)
    order = order_in(company, S.SUBMITTED, [(product, 4)])
    change(actor, order, S.CANCELLED, restock=True)
    before = rows_written()
    for status in (S.CANCELLED, S.REFUNDED):
        with pytest.raises(InvalidTransition):
            change(actor, order, status, restock=True)
    assert rows_written() == before
    assert stock_of(product) == 10


def test_restock_guard_holds_even_if_a_second_restockable_transition_happens(company, actor):
    """restocked_at is the guard: an order already restocked is never restocked again."""
    product = make_product(company, stock=10)
    order = order_in(company, S.SHIPPED, [(product, 4)])
    Order.objects.filter(id=order.id).update(restocked_at="2026-01-01T00:00:00Z")
    change(actor, order, S.REFUNDED, restock=True)
    assert stock_of(product) == 6
    assert not StockMovement.objects.filter(reason=MovementReason.RESTOCK).exists()
    assert AuditEntry.objects.get(action=AuditAction.ORDER_STATUS_CHANGED).metadata["restocked"] is False


@pytest.mark.parametrize(("current", "target"), [(S.SUBMITTED, S.CONFIRMED), (S.SHIPPED, S.DELIVERED)])
def test_restock_is_only_offered_when_cancelling_or_refunding(company, actor, current, target):
    order = order_in(company, current)
    before = rows_written()
    with pytest.raises(OrderInvalid) as info:
        change(actor, order, target, restock=True)
    assert info.value.message == "Items can only be restocked when cancelling or refunding."
    assert rows_written() == before


def test_order_of_another_company_is_not_found(company, actor):
    other, _ = make_company()
    theirs = order_in(other, S.SUBMITTED)
    before = rows_written()
    with pytest.raises(OrderNotFound) as info:
        change(actor, theirs, S.CANCELLED, restock=True)
    assert info.value.message == "Order not found."
    assert rows_written() == before
    assert Order.objects.get(id=theirs.id).status == S.SUBMITTED


def test_unknown_order_is_not_found(actor):
    with pytest.raises(OrderNotFound):
        order_status_change(actor=actor, channel=Channel.DASHBOARD, order_id=uuid4(), status=S.CONFIRMED)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MEMBER])
def test_any_staff_role_may_change_status(company, role):
    order = order_in(company, S.SUBMITTED)
    change(Actor.staff(make_member(company, role)), order, S.CONFIRMED)
    assert Order.objects.get(id=order.id).status == S.CONFIRMED


def test_customer_may_not_change_status(company):
    buyer = make_customer(company)
    order = order_in(company, S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        change(Actor.customer(buyer), order, S.CANCELLED)
    assert Order.objects.get(id=order.id).status == S.SUBMITTED
