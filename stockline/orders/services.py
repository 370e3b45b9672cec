"""Order placement and the status lifecycle: the single path for every channel."""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from stockline.accounts.permissions import Perm
from stockline.audit.actors import Actor, ActorType
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.catalog.errors import InsufficientStock, InsufficientStockLine, ProductUnavailable
from stockline.catalog.models import MovementReason, Product
from stockline.catalog.stock import LedgerEntry, products_lock, stock_delta, stock_write
from stockline.catalog.stock_rules import StockStatus, effective_threshold, stock_status
from stockline.core.channels import ORDER_CHANNELS, Channel
from stockline.customers.models import Customer, CustomerStatus
from stockline.events.feed import events_record
from stockline.events.models import EventType
from stockline.events.payloads import event_rows
from stockline.notifications.services import LowStockItem, low_stock_alert_enqueue
from stockline.orders.errors import CustomerNotFound, InvalidTransition, OrderError, OrderNotFound
from stockline.orders.lifecycle import RESTOCKABLE_STATUSES, OrderStatus, can_transition
from stockline.orders.models import Order, OrderLine
from stockline.orders.placement import order_transaction, order_write
from stockline.orders.placement.draft import draft_build, lines_shown

PO_NUMBER_MAX = 100
NOTES_MAX = 2000
_ORDER_CUSTOMER = Order._meta.get_field("customer")
_LINE_ORDER = OrderLine._meta.get_field("order")


class OrderInvalid(OrderError):
    """Malformed order input (the API answers 400)."""


@dataclass(frozen=True, slots=True)
class OrderLineInput:
    product_id: UUID
    quantity: int


def _merge_lines(lines: list[OrderLineInput]) -> "OrderedDict[UUID, int]":
    """One line per product (quantities summed), validated, in primary-key order.

    Merging first means two lines of one product are checked against stock together;
    pk order means two orders over the same products lock rows in the same order.
    """
    if not lines:
        raise OrderInvalid("At least one item is required")
    merged: dict[UUID, int] = {}
    for line in lines:
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int):
            raise OrderInvalid("quantity must be a whole number")
        if line.quantity < 1:
            raise OrderInvalid("quantity must be at least 1")
        merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
    return OrderedDict(sorted(merged.items()))


def _check_customer(*, actor: Actor, customer: Customer | None) -> None:
    if customer is not None:
        if customer.company_id != actor.company_id:
            raise CustomerNotFound()
        if customer.status == CustomerStatus.BLOCKED:
            raise OrderError("This customer's account is suspended.")
    if actor.type == ActorType.CUSTOMER:
        if customer is None or customer.id != actor.customer_id:
            raise OrderError("Customers can only order for themselves.")
    else:
        actor.require(Perm.MANAGE_ORDERS)


def order_customer(*, actor: Actor, customer_id: UUID) -> Customer:
    """The customer to place an order for, by id, among the actor's company's customers;
    CustomerNotFound otherwise (order_place then checks the rest: not blocked, and so on)."""
    customer = Customer.objects.filter(company_id=actor.company_id, id=customer_id).first()
    if customer is None:
        raise CustomerNotFound()
    return customer


def _refusal(*, company_id: UUID, wanted: dict[UUID, int], failed: list[UUID]) -> Exception:
    """Why the conditional updates of `failed` matched nothing: missing, inactive or short."""
    rows = {
        p["id"]: p
        for p in Product.objects.filter(company_id=company_id, id__in=failed).values(
            "id", "name", "stock", "is_active"
        )
    }
    gone = [pid for pid in failed if pid not in rows]
    if gone:
        return ProductUnavailable(gone)
    inactive = [rows[pid] for pid in failed if not rows[pid]["is_active"]]
    if inactive:
        return ProductUnavailable(
            [p["id"] for p in inactive], f"{inactive[0]['name']} is no longer available."
        )
    return InsufficientStock(
        [
            InsufficientStockLine(
                product_id=pid,
                product_name=rows[pid]["name"],
                requested=wanted[pid],
                available=rows[pid]["stock"],
            )
            for pid in failed
        ]
    )


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """A new order and its lines (in display order), as written."""

    order: Order
    lines: list[OrderLine]


def order_place(
    *,
    actor: Actor,
    channel: str,
    lines: list[OrderLineInput],
    customer: Customer | None = None,
    po_number: str = "",
    notes: str = "",
) -> PlacedOrder:
    """Place an order: all of it (order, lines, stock, ledger, audit, alert job) or nothing.

    The order is drafted here and written by orders.placement, which takes the stock through
    catalog.stock: on SQLite in BEGIN IMMEDIATE (the whole database locked), on PostgreSQL in
    one statement that locks the order's product rows in pk order.
    Raises OrderInvalid, OrderError, ProductUnavailable or InsufficientStock (listing every
    short line) and writes nothing.
    Enqueues in the same transaction: the low-stock email job, for storefront orders only.
    """
    if channel not in ORDER_CHANNELS:
        raise OrderInvalid(f"Orders cannot be placed from {channel}.")
    po_number = (po_number or "").strip()
    notes = notes or ""
    if len(po_number) > PO_NUMBER_MAX:
        raise OrderInvalid(f"PO number must be at most {PO_NUMBER_MAX} characters.")
    if len(notes) > NOTES_MAX:
        raise OrderInvalid(f"Notes must be at most {NOTES_MAX} characters.")
    wanted = _merge_lines(lines)
    _check_customer(actor=actor, customer=customer)
    draft = draft_build(
        actor=actor,
        channel=channel,
        wanted=wanted,
        customer_id=customer.id if customer else None,
        po_number=po_number,
        notes=notes,
    )
    alerts = channel == Channel.STOREFRONT
    with order_transaction(joins=alerts):
        placed = order_write(draft)
        if placed.failed:
            # Report short lines in the order the buyer listed them; the first is the headline.
            listed = list(dict.fromkeys(line.product_id for line in lines))
            failed = sorted(placed.failed, key=listed.index)
            raise _refusal(company_id=actor.company_id, wanted=wanted, failed=failed)
        order = placed.order
        if customer is not None:
            _ORDER_CUSTOMER.set_cached_value(order, customer)
        for line in placed.lines:
            _LINE_ORDER.set_cached_value(line, order)  # line.order without a query
        if alerts:
            low = [
                LowStockItem(
                    product_id=str(t.product_id),
                    name=t.name,
                    sku=t.sku,
                    stock=t.stock_after,
                    threshold=threshold,
                )
                for t in placed.taken
                if stock_status(
                    stock=t.stock_after,
                    threshold=(
                        threshold := effective_threshold(
                            override=t.threshold_override, company_default=placed.company_threshold
                        )
                    ),
                )
                != StockStatus.IN_STOCK
            ]
            if low:
                low_stock_alert_enqueue(order=order, items=low)
    return PlacedOrder(order=order, lines=lines_shown(placed.lines))


def order_status_change(
    *, actor: Actor, channel: str, order_id: UUID, status: str, restock: bool = False
) -> Order:
    """Move an order along its lifecycle (orders.lifecycle); audited as OrderStatusChanged.

    Cancel/refund never restores stock unless `restock` is asked for, and an order is
    restocked at most once (guarded by its locked row's restocked_at).
    Locks: the order row, then its products in pk order.
    Writes its order.status_changed event (and a restock's stock events).
    """
    actor.require(Perm.MANAGE_ORDERS)
    if status not in OrderStatus.values:
        raise OrderInvalid("Invalid order status.")
    if restock and status not in RESTOCKABLE_STATUSES:
        raise OrderInvalid("Items can only be restocked when cancelling or refunding.")
    with transaction.atomic():
        try:
            order = Order.objects.select_for_update().get(company_id=actor.company_id, id=order_id)
        except Order.DoesNotExist as exc:
            raise OrderNotFound() from exc
        previous = order.status
        if not can_transition(previous, status):
            raise InvalidTransition(previous, status)
        order.status = status
        update_fields = ["status", "updated_at"]
        restocked = restock and order.restocked_at is None
        now = timezone.now()
        if restocked:
            order.restocked_at = now
            update_fields.append("restocked_at")
        order.save(update_fields=update_fields)
        change = {"id": order.id, "number": order.display_number, "from": previous, "to": status}
        events_record(
            event_rows(
                actor.company_id, EventType.ORDER_STATUS_CHANGED, [change | {"restocked": restocked}], now
            )
        )
        entry = audit_record(
            actor=actor,
            action=AuditAction.ORDER_STATUS_CHANGED,
            entity_type="order",
            entity_id=order.id,
            channel=channel,
            metadata={"status": [previous, status], "restocked": restocked},
        )
        if restocked:
            _order_restock(actor=actor, channel=channel, order=order, audit_entry_id=entry.id, now=now)
    return order


def _order_restock(*, actor: Actor, channel: str, order: Order, audit_entry_id: UUID, now: datetime) -> None:
    quantities = dict(order.lines.values_list("product_id", "quantity"))
    locked = products_lock(company_id=actor.company_id, product_ids=quantities)
    stock_write(
        [stock_delta(product, quantities[product.id]) for product in locked.values()],
        LedgerEntry(
            actor=actor,
            channel=channel,
            reason=MovementReason.RESTOCK,
            order_id=order.id,
            audit_entry_id=audit_entry_id,
        ),
        now=now,
    )
