"""An order as Python builds it before the write, once for every database.

The draft holds every column Python knows (ids, who, channel, customer, notes, quantities,
the ledger's shared columns). What only the write can know (the frozen name, SKU and price,
the stock after, the number, the time) comes back from the stock take; the rules that turn
it into rows (total, audit metadata, lines) are the functions below. PostgreSQL's single
statement computes the same values in SQL (orders.placement.postgresql), and
tests/orders/test_order_place_golden_rows.py proves both write the same rows.
"""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from stockline.audit.actors import Actor, ActorType
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_entry_values
from stockline.catalog.models import MovementReason
from stockline.catalog.stock import LedgerEntry, TakenProduct
from stockline.core.ids import uuid7s
from stockline.events.models import EventType
from stockline.events.payloads import order_data
from stockline.orders.models import Order, OrderLine


@dataclass(frozen=True, slots=True)
class OrderDraft:
    company_id: UUID
    channel: str
    wanted: dict[UUID, int]  # product id -> quantity, in primary-key order
    order: dict  # the Order row's columns Python knows
    entry: dict  # the OrderPlaced audit entry's, all but its metadata
    line_ids: list[UUID]  # one per product, in `wanted` order
    movement_ids: list[UUID]
    event_id: UUID  # order.created's, made before the stock events' so it is numbered first
    ledger: LedgerEntry
    customer_id: UUID | None


def draft_build(
    *,
    actor: Actor,
    channel: str,
    wanted: dict[UUID, int],
    customer_id: UUID | None,
    po_number: str,
    notes: str,
) -> OrderDraft:
    order_id, entry_id, event_id, *row_ids = uuid7s(3 + 2 * len(wanted))
    return OrderDraft(
        company_id=actor.company_id,
        channel=channel,
        wanted=wanted,
        order={
            "id": order_id,
            "company_id": actor.company_id,
            "channel": channel,
            "customer_id": customer_id,
            "placed_by_user_id": actor.user_id if actor.type == ActorType.USER else None,
            "placed_by_api_key_id": actor.api_key_id,
            "po_number": po_number,
            "notes": notes,
        },
        entry=audit_entry_values(
            entry_id=entry_id,
            actor=actor,
            action=AuditAction.ORDER_PLACED,
            entity_type="order",
            entity_id=order_id,
            channel=channel,
        ),
        line_ids=row_ids[: len(wanted)],
        movement_ids=row_ids[len(wanted) :],
        event_id=event_id,
        ledger=LedgerEntry(
            actor=actor,
            channel=channel,
            reason=MovementReason.ORDER,
            order_id=order_id,
            audit_entry_id=entry_id,
        ),
        customer_id=customer_id,
    )


def order_total(draft: OrderDraft, taken: list[TakenProduct]) -> Decimal:
    return sum((t.price * draft.wanted[t.product_id] for t in taken), Decimal("0.00"))


def audit_metadata(draft: OrderDraft, *, number: int, total: Decimal, taken: list[TakenProduct]) -> dict:
    """The OrderPlaced entry's metadata: number, total, customer and every line by product."""
    return {
        "number": number,
        "total": str(total),
        "customer": str(draft.customer_id) if draft.customer_id else None,
        "lines": [
            {"product": str(t.product_id), "sku": t.sku, "quantity": draft.wanted[t.product_id]}
            for t in taken
        ],
    }


def lines_shown(lines: list[OrderLine]) -> list[OrderLine]:
    """An order's lines in display order, as OrderLine's Meta.ordering sorts them."""
    return sorted(lines, key=lambda line: (line.product_name, line.id))


def order_created_row(draft: OrderDraft, order: Order, lines: list[OrderLine]) -> dict:
    """The order.created event (order_created_sql in orders.placement.postgresql is its twin)."""
    return {
        "id": draft.event_id,
        "company_id": draft.company_id,
        "type": EventType.ORDER_CREATED,
        "data": order_data(order, lines_shown(lines)),
        "created_at": order.created_at,
    }


def line_rows(draft: OrderDraft, taken: list[TakenProduct]) -> list[dict]:
    """The order's lines: each product's name, SKU and price as the order froze them."""
    return [
        {
            "id": line_id,
            "order_id": draft.order["id"],
            "product_id": t.product_id,
            "product_name": t.name,
            "product_sku": t.sku,
            "quantity": draft.wanted[t.product_id],
            "unit_price": t.price,
        }
        for t, line_id in zip(taken, draft.line_ids, strict=True)
    ]
