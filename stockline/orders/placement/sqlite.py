"""SQLite: an order in the caller's BEGIN IMMEDIATE transaction (the whole database locked).

The conditional take of catalog.stock (one UPDATE ... RETURNING for every line, which hands
back the order number too: orders.numbers), then one INSERT per model.
"""

from django.utils import timezone

from stockline.audit.models import AuditEntry
from stockline.catalog.stock import stock_take, stock_taken
from stockline.core.rows import row_loaded, rows_written
from stockline.orders.models import Order, OrderLine
from stockline.orders.numbers import order_number_next_sql
from stockline.orders.placement.draft import (
    OrderDraft,
    audit_metadata,
    line_rows,
    order_created_row,
    order_total,
)
from stockline.orders.placement.result import Placed


def write(draft: OrderDraft) -> Placed:
    now = timezone.now()  # in BEGIN IMMEDIATE: the ledger's times follow the order stock changed in
    take = stock_take(
        company_id=draft.company_id,
        wanted=draft.wanted,
        now=now,
        value=order_number_next_sql(draft.company_id),
    )
    if take.failed:
        return Placed.refused(take.failed)
    number, total = take.value, order_total(draft, take.taken)
    order = draft.order | {"number": number, "total": total, "created_at": now, "updated_at": now}
    metadata = audit_metadata(draft, number=number, total=total, taken=take.taken)
    lines = line_rows(draft, take.taken)
    rows_written(Order, [order])
    rows_written(AuditEntry, [draft.entry | {"metadata": metadata, "created_at": now}])
    rows_written(OrderLine, lines, {"order_id": order["id"]})
    placed = Placed(
        order=row_loaded(Order, order),
        lines=[row_loaded(OrderLine, line) for line in lines],
        taken=take.taken,
        company_threshold=take.company_threshold,
    )
    created = order_created_row(draft, placed.order, placed.lines)
    stock_taken(take, draft.wanted, draft.ledger, now=now, ids=draft.movement_ids, events=[created])
    return placed
