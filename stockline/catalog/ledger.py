"""Building stock-movement rows. Callers bulk-insert them in their own transaction."""

from uuid import UUID

from stockline.audit.actors import Actor
from stockline.catalog.models import StockMovement


def movement_values(
    *,
    actor: Actor,
    channel: str,
    product_id: UUID,
    stock_before: int,
    stock_after: int,
    reason: str,
    order_id: UUID | None = None,
    audit_entry_id: UUID | None = None,
    reference: str = "",
    note: str = "",
    movement_id: UUID | None = None,
) -> dict:
    """A ledger row as {attname: value} (its id `movement_id`, else the field's default):
    what core.bulk.inserts_together writes, and what movement_build makes an instance of."""
    row = {
        "company_id": actor.company_id,
        "product_id": product_id,
        "delta": stock_after - stock_before,
        "stock_before": stock_before,
        "stock_after": stock_after,
        "reason": reason,
        "channel": channel,
        **actor.stamp(),
        "order_id": order_id,
        "audit_entry_id": audit_entry_id,
        "reference": reference,
        "note": note[:200],
    }
    if movement_id is not None:
        row["id"] = movement_id
    return row


def movement_build(**kwargs) -> StockMovement:
    """An unsaved ledger row (arguments as movement_values)."""
    return StockMovement(**movement_values(**kwargs))


def ledger_reconciles(product) -> bool:
    """First recorded level + Σ deltas equals the product's current stock."""
    movements = list(product.movements.order_by("created_at", "id").values("stock_before", "delta"))
    if not movements:
        return product.stock == 0
    return movements[0]["stock_before"] + sum(m["delta"] for m in movements) == product.stock
