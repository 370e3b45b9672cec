"""Order placement and the status lifecycle: the single path for every channel."""

from collections import OrderedDict
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from stockline.accounts.permissions import Perm
from stockline.audit.actors import Actor, ActorType
from stockline.audit.models import AuditAction, AuditEntry
from stockline.audit.services import audit_entry_values, audit_record
from stockline.catalog.errors import InsufficientStock, InsufficientStockLine, ProductUnavailable
from stockline.catalog.ledger import movement_build, movement_values
from stockline.catalog.locks import products_lock
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.stock_rules import effective_threshold
from stockline.catalog.stock_sql import TakenStock, stock_take
from stockline.core.bulk import inserts_together, saved_instances
from stockline.core.channels import ORDER_CHANNELS, Channel
from stockline.core.direct import execute
from stockline.core.ids import uuid7s
from stockline.customers.models import Customer, CustomerStatus
from stockline.notifications.services import LowStockItem, low_stock_alert_enqueue
from stockline.orders import place_postgresql
from stockline.orders.errors import CustomerNotFound, InvalidTransition, OrderError, OrderNotFound
from stockline.orders.lifecycle import RESTOCKABLE_STATUSES, OrderStatus, can_transition
from stockline.orders.models import Order, OrderLine
from stockline.orders.numbers import order_number_next_sql

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


def _line_rows(
    order_id: UUID, taken: list[TakenStock], wanted: dict[UUID, int], line_ids: list[UUID]
) -> list[dict]:
    """The order's lines as rows: each product's name, SKU and price as the order froze them."""
    return [
        {
            "id": line_id,
            "order_id": order_id,
            "product_id": t.product_id,
            "product_name": t.name,
            "product_sku": t.sku,
            "quantity": wanted[t.product_id],
            "unit_price": t.price,
        }
        for t, line_id in zip(taken, line_ids, strict=True)
    ]


@dataclass(slots=True)
class _Written:
    """What a writer did: the stock taken (in pk order) or the products it could not take
    (then nothing was written), the company's default threshold and the lines written."""

    taken: list[TakenStock]
    failed: list[UUID]
    company_threshold: int | None
    line_rows: list[dict]


def _write_statements(
    db, *, wanted, order_row, entry, movement, line_ids, movement_ids, customer
) -> _Written:
    """The stock statement, then the rows computed here from what it returned, one INSERT
    per model (catalog.stock_sql, core.bulk). Completes `order_row`."""
    took = stock_take(
        company_id=order_row["company_id"],
        wanted=wanted,
        now=timezone.now(),
        also=order_number_next_sql(order_row["company_id"]),
    )
    taken = took.taken
    if took.failed:
        return _Written(taken, took.failed, None, [])
    total = sum((t.price * wanted[t.product_id] for t in taken), Decimal("0.00"))
    order_row.update(number=took.also, total=total)
    entry["metadata"] = {
        "number": took.also,
        "total": str(total),
        "customer": str(customer.id) if customer else None,
        "lines": [
            {"product": str(t.product_id), "sku": t.sku, "quantity": wanted[t.product_id]} for t in taken
        ],
    }
    line_rows = _line_rows(order_row["id"], taken, wanted, line_ids)
    movements = [
        {
            **movement,
            "id": movement_id,
            "product_id": t.product_id,
            "delta": -wanted[t.product_id],
            "stock_before": t.stock_after + wanted[t.product_id],
            "stock_after": t.stock_after,
        }
        for t, movement_id in zip(taken, movement_ids, strict=True)
    ]
    inserts_together(
        (Order, [order_row]),
        (AuditEntry, [entry]),
        (OrderLine, line_rows),
        (StockMovement, movements),
    )  # stamped after the rows were locked: the ledger's times follow the order stock changed in
    return _Written(taken, [], took.company_threshold, line_rows)


def _write_one_statement(
    db, *, wanted, order_row, entry, movement, line_ids, movement_ids, customer
) -> _Written:
    """PostgreSQL: everything in one statement (orders.place_postgresql). Completes `order_row`."""
    number_sql, number_params = order_number_next_sql(order_row["company_id"])
    params = {
        **number_params,
        "company": order_row["company_id"],
        "now": timezone.now(),
        "a_customer": str(customer.id) if customer else None,
    }
    for i, (product_id, quantity) in enumerate(wanted.items()):
        params[f"id{i}"], params[f"quantity{i}"] = product_id, quantity
        params[f"line{i}"], params[f"movement{i}"] = line_ids[i], movement_ids[i]
    for model, row in (
        (Order, order_row),
        (AuditEntry, entry),
        (OrderLine, {"order_id": order_row["id"]}),
        (StockMovement, movement),
    ):
        for name, attname, field in place_postgresql.parameter_columns(model):
            if attname not in row:
                row[attname] = field.get_default()
            params[name] = row[attname]
    statement = place_postgresql.order_statement(len(wanted), number_sql)
    rows = execute(statement, params, fetch=True, connection=db)
    enough = {row[0] for row in rows if row[1]}
    if len(enough) < len(wanted):  # missing, inactive or short: nothing was written
        return _Written([], sorted(wanted.keys() - enough), None, [])
    taken = sorted(
        TakenStock(product_id, stock, name, sku, price, threshold)
        for product_id, _, stock, name, sku, price, threshold, *_ in rows
    )
    number, at, total, company_threshold = rows[0][7:]
    order_row.update(number=number, total=total, created_at=at, updated_at=at)
    return _Written(taken, [], company_threshold, _line_rows(order_row["id"], taken, wanted, line_ids))


def order_place(
    *,
    actor: Actor,
    channel: str,
    lines: list[OrderLineInput],
    customer: Customer | None = None,
    po_number: str = "",
    notes: str = "",
) -> Order:
    """Place an order: all of it (order, lines, stock, ledger, audit, alert job) or nothing.

    SQLite: BEGIN IMMEDIATE (the whole database locked), the conditional decrement of
    catalog.stock_sql, which hands back the order number too (orders.numbers), then one
    INSERT per model. PostgreSQL: all of it in one statement (orders.place_postgresql),
    which locks the order's product rows in pk order; nextval locks nothing.
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
    db = connections[DEFAULT_DB_ALIAS]
    one_statement = db.vendor == "postgresql"
    # PostgreSQL writes the order in one statement (orders.place_postgresql), a transaction of
    # its own unless the caller is in one or a storefront order's alert job must join it.
    own_transaction = not one_statement or db.in_atomic_block or channel == Channel.STOREFRONT
    with transaction.atomic() if own_transaction else nullcontext():
        order_id, entry_id, *row_ids = uuid7s(2 + 2 * len(wanted))
        line_ids, movement_ids = row_ids[: len(wanted)], row_ids[len(wanted) :]
        order_row = {
            "id": order_id,
            "company_id": actor.company_id,
            "channel": channel,
            "customer_id": customer.id if customer else None,
            "placed_by_user_id": actor.user_id if actor.type == ActorType.USER else None,
            "placed_by_api_key_id": actor.api_key_id,
            "po_number": po_number,
            "notes": notes,
        }
        entry = audit_entry_values(
            entry_id=entry_id,
            actor=actor,
            action=AuditAction.ORDER_PLACED,
            entity_type="order",
            entity_id=order_id,
            channel=channel,
        )
        movement = movement_values(
            actor=actor,
            channel=channel,
            product_id=None,
            stock_before=0,
            stock_after=0,
            reason=MovementReason.ORDER,
            order_id=order_id,
            audit_entry_id=entry_id,
        )  # what every movement of the order shares
        write = _write_one_statement if one_statement else _write_statements
        placed = write(
            db,
            wanted=wanted,
            order_row=order_row,
            entry=entry,
            movement=movement,
            line_ids=line_ids,
            movement_ids=movement_ids,
            customer=customer,
        )
        if placed.failed:
            # Report short lines in the order the buyer listed them; the first is the headline.
            listed = list(dict.fromkeys(line.product_id for line in lines))
            placed.failed.sort(key=listed.index)
            raise _refusal(company_id=actor.company_id, wanted=wanted, failed=placed.failed)
        taken = placed.taken
        (order,) = saved_instances(Order, [order_row])
        if customer is not None:
            _ORDER_CUSTOMER.set_cached_value(order, customer)
        lines_placed = saved_instances(OrderLine, placed.line_rows)
        for line in lines_placed:
            _LINE_ORDER.set_cached_value(line, order)  # line.order without a query
        if channel == Channel.STOREFRONT:
            low = [
                LowStockItem(
                    product_id=str(t.product_id),
                    name=t.name,
                    sku=t.sku,
                    stock=t.stock_after,
                    threshold=threshold,
                )
                for t in taken
                if t.stock_after
                <= (
                    threshold := effective_threshold(
                        override=t.threshold_override, company_default=placed.company_threshold
                    )
                )
            ]
            if low:
                low_stock_alert_enqueue(order=order, items=low)
    order._prefetched_objects_cache = _PlacedLines(order, lines_placed)
    return order


class _PlacedLines(dict):
    """The prefetch cache of an order order_place just wrote, holding its lines: whoever
    renders the new order gets order.lines.all() without another query, as after
    prefetch_related. The queryset is made on first use, not for every order: making it
    costs about 20 µs, and a dashboard order redirects without rendering it.

    Behaves as the plain dict Django keeps there: "lines" is in it until the manager drops
    it (add/remove/clear pop it, refresh_from_db deletes it), and then it is fetched anew.
    """

    def __init__(self, order: Order, lines: list[OrderLine]):
        super().__init__()
        lines = sorted(lines, key=lambda x: (x.product_name, x.id))  # as OrderLine's Meta.ordering
        self._pending: tuple[Order, list[OrderLine]] | None = (order, lines)

    def listed(self) -> list[OrderLine] | None:
        """The lines, as order.lines.all() would give them, without making the queryset."""
        if super().__contains__("lines"):
            return list(self["lines"])
        return None if self._pending is None else self._pending[1]

    def __missing__(self, key):
        if key != "lines" or self._pending is None:
            raise KeyError(key)
        order, lines = self._pending
        self._pending = None
        order._prefetched_objects_cache = {}  # so the manager builds its own queryset
        try:
            prefetched = order.lines.all()
        finally:
            order._prefetched_objects_cache = self
        prefetched._result_cache = list(lines)
        prefetched._prefetch_done = True
        self[key] = prefetched
        return prefetched

    def __contains__(self, key):
        return super().__contains__(key) or (key == "lines" and self._pending is not None)

    def get(self, key, default=None):
        return self[key] if key in self else default  # noqa: SIM401 (this is get; __missing__ must run)

    def __delitem__(self, key):
        if key == "lines" and self._pending is not None:
            self._pending = None
            if not super().__contains__(key):
                return
        super().__delitem__(key)

    def pop(self, key, *default):
        if key == "lines" and self._pending is not None:
            self._pending = None
            if not super().__contains__(key):
                return None
        return super().pop(key, *default)


def placed_lines(order: Order) -> list[OrderLine] | None:
    """The lines of an order order_place returned, as order.lines.all() gives them but
    without making a queryset (the API's response to a new order); None for other orders."""
    cache = getattr(order, "_prefetched_objects_cache", None)
    return cache.listed() if isinstance(cache, _PlacedLines) else None


def order_status_change(
    *, actor: Actor, channel: str, order_id: UUID, status: str, restock: bool = False
) -> Order:
    """Move an order along its lifecycle (orders.lifecycle); audited as OrderStatusChanged.

    Cancel/refund never restores stock unless `restock` is asked for, and an order is
    restocked at most once (guarded by its locked row's restocked_at).
    Locks: the order row, then its products in pk order.
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
        if restocked:
            order.restocked_at = timezone.now()
            update_fields.append("restocked_at")
        order.save(update_fields=update_fields)
        entry = audit_record(
            actor=actor,
            action=AuditAction.ORDER_STATUS_CHANGED,
            entity_type="order",
            entity_id=order.id,
            channel=channel,
            metadata={"status": [previous, status], "restocked": restocked},
        )
        if restocked:
            _order_restock(actor=actor, channel=channel, order=order, audit_entry_id=entry.id)
    return order


def _order_restock(*, actor: Actor, channel: str, order: Order, audit_entry_id: UUID) -> None:
    quantities = dict(order.lines.values_list("product_id", "quantity"))
    locked = products_lock(company_id=actor.company_id, product_ids=quantities)
    movements = []
    now = timezone.now()
    for product in locked.values():
        before = product.stock
        product.stock = before + quantities[product.id]
        product.updated_at = now
        movements.append(
            movement_build(
                actor=actor,
                channel=channel,
                product_id=product.id,
                stock_before=before,
                stock_after=product.stock,
                reason=MovementReason.RESTOCK,
                order_id=order.id,
                audit_entry_id=audit_entry_id,
            )
        )
    Product.objects.bulk_update(list(locked.values()), ["stock", "updated_at"])
    StockMovement.objects.bulk_create(movements)
