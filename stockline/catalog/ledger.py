"""Reading the ledger (catalog.stock writes it)."""


def ledger_reconciles(product) -> bool:
    """First recorded level + Σ deltas equals the product's current stock."""
    movements = list(product.movements.order_by("created_at", "id").values("stock_before", "delta"))
    if not movements:
        return product.stock == 0
    return movements[0]["stock_before"] + sum(m["delta"] for m in movements) == product.stock
