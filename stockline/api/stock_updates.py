"""POST /api/v1/stock-updates: batch stock sync by SKU or id (catalog.sync)."""

from ninja import Router

from stockline.api.auth import ApiKeyAuth
from stockline.api.errors import ApiError
from stockline.api.schemas import (
    COMMON_ERRORS,
    StockUpdatesEnvelope,
    StockUpdatesIn,
    StockUpdatesRejectedOut,
)
from stockline.catalog.sync import ItemResult, SyncItem, SyncMode, SyncRejected, stock_sync
from stockline.core.channels import Channel

router = Router(tags=["stock"], auth=ApiKeyAuth("products"))


def _items(payload: StockUpdatesIn) -> list[SyncItem]:
    """The items as the service takes them; each must carry the value its mode asks for."""
    wanted, other = ("stock", "delta") if payload.mode == SyncMode.SET else ("delta", "stock")
    items = []
    for i, item in enumerate(payload.items):
        value = getattr(item, wanted)
        if value is None or getattr(item, other) is not None:
            raise ApiError(400, f"items[{i}]: a {payload.mode} batch gives each item {wanted}, not {other}.")
        items.append(
            SyncItem(value=value, sku=item.sku, product_id=item.productId, expected_stock=item.expectedStock)
        )
    return items


def _result(result: ItemResult) -> dict:
    status = "failed" if result.error is not None else "applied" if result.changed else "unchanged"
    return {
        "index": result.index,
        "productId": result.product_id,
        "sku": result.sku,
        "status": status,
        "stockBefore": result.before,
        "stockAfter": result.after if result.error is None else result.before,
        "error": {"code": result.error.value, "message": result.message} if result.error else None,
    }


@router.post(
    "/stock-updates",
    response={
        200: StockUpdatesEnvelope,
        409: StockUpdatesRejectedOut,
        422: StockUpdatesRejectedOut,
        **COMMON_ERRORS,
    },
)
def stock_updates(request, payload: StockUpdatesIn):
    """Set or add to many products' stock in one request (up to 5,000 items), matched by SKU
    or productId. `atomic` (the default): all or nothing; a batch with any failing item answers
    409 (a failed expectedStock among them) or 422, listing every failing item, and changes
    nothing. Otherwise every item's result is listed, applied or failed on its own."""
    try:
        outcome = stock_sync(
            actor=request.actor,
            channel=Channel.API,
            mode=SyncMode(payload.mode),
            atomic=payload.atomic,
            items=_items(payload),
            reason=payload.reason,
        )
    except SyncRejected as exc:
        failures = [_result(f) for f in exc.failures]
        raise ApiError(409 if exc.conflict else 422, exc.message, items=failures) from exc
    results = [_result(r) for r in outcome.results]
    return {
        "data": {
            "mode": payload.mode,
            "atomic": payload.atomic,
            "changed": outcome.changed,
            "unchanged": len(results) - outcome.changed - outcome.failed,
            "failed": outcome.failed,
            "items": results,
        }
    }
