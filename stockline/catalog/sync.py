"""Batch stock sync: an ERP's on-hand counts (or deltas) for many products at once, matched by
SKU or id within the company, written by the one stock writer (catalog.stock).

All or nothing (`atomic`): any item that cannot apply (unknown product, a failed
expectedStock, a delta below zero, a product named twice) refuses the whole batch, every
failing item listed with its index. Otherwise each item applies or fails on its own. Either
way the products are locked in primary-key order like every other writer, items that leave
stock where it is write nothing, and one ProductBulkUpdated entry covers what changed.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction

from stockline.accounts.models import Company
from stockline.accounts.permissions import Perm
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.catalog.models import STOCK_MAX, MovementReason, Product
from stockline.catalog.services import bulk_audit_detail
from stockline.catalog.stock import (
    LedgerEntry,
    StockChange,
    level_after,
    products_lock,
    stock_change,
    stock_write,
)

SYNC_LIMIT = 5_000


class SyncMode(StrEnum):
    SET = "set"
    DELTA = "delta"


class ItemError(StrEnum):
    """Why an item did not apply; CONFLICT is a failed expectedStock."""

    UNKNOWN = "unknown_product"
    CONFLICT = "stock_conflict"
    NEGATIVE = "below_zero"
    TOO_HIGH = "above_maximum"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class SyncItem:
    """One line of a batch: the product by `sku` or `product_id`; `value` is the stock to set
    or the delta to add, by the batch's mode."""

    value: int
    sku: str | None = None
    product_id: UUID | None = None
    expected_stock: int | None = None


@dataclass(slots=True)
class ItemResult:
    index: int
    product_id: UUID | None = None
    sku: str | None = None
    before: int | None = None
    after: int | None = None
    error: ItemError | None = None
    message: str = ""

    @property
    def changed(self) -> bool:
        return self.error is None and self.before != self.after


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    results: list[ItemResult]
    changed: int = 0
    failed: int = 0
    audit_entry_id: UUID | None = field(default=None)


class SyncRejected(Exception):
    """An atomic batch with items that cannot apply: nothing was written."""

    def __init__(self, failures: list[ItemResult]):
        self.failures = failures
        self.message = f"{len(failures)} of the batch's items cannot be applied; nothing was changed."
        super().__init__(self.message)

    @property
    def conflict(self) -> bool:
        return any(f.error == ItemError.CONFLICT for f in self.failures)


def _checked(items: list[SyncItem], mode: SyncMode) -> None:
    if not items:
        raise ValidationError({"items": ["Send at least one item."]})
    if len(items) > SYNC_LIMIT:
        raise ValidationError(
            {"items": [f"A batch holds at most {SYNC_LIMIT:,} items; this one has {len(items):,}."]}
        )
    for i, item in enumerate(items):
        if (item.sku is None) == (item.product_id is None):
            raise ValidationError({"items": [f"Item {i}: give either sku or productId."]})
        if mode == SyncMode.SET and not 0 <= item.value <= STOCK_MAX:
            raise ValidationError({"items": [f"Item {i}: stock must be from 0 to {STOCK_MAX:,}."]})


def _plan(
    item: SyncItem, result: ItemResult, product: Product, mode: SyncMode, note: str
) -> StockChange | None:
    result.product_id, result.sku, result.before = product.id, product.sku, product.stock
    if item.expected_stock is not None and item.expected_stock != product.stock:
        result.error, result.message = (
            ItemError.CONFLICT,
            f"Stock is {product.stock}, not the expected {item.expected_stock}.",
        )
        return None
    if mode == SyncMode.SET:
        after = item.value
    else:
        after, _ = level_after(product.stock, item.value, clamp=False)
        if after < 0:
            result.error, result.message = (
                ItemError.NEGATIVE,
                f"Stock would go below zero: {product.stock} + ({item.value}).",
            )
            return None
        if after > STOCK_MAX:
            result.error, result.message = ItemError.TOO_HIGH, f"Stock would go above {STOCK_MAX:,}."
            return None
    result.after = after
    if after == product.stock:
        return None
    return stock_change(product, before=product.stock, after=after, note=note)


def stock_sync(
    *, actor: Actor, channel: str, mode: SyncMode, atomic: bool, items: list[SyncItem], reason: str = ""
) -> SyncOutcome:
    """Apply the batch (see the module docstring); raises SyncRejected for an atomic batch
    with failing items, ValidationError for a malformed one, writing nothing."""
    actor.require(Perm.MANAGE_PRODUCTS)
    mode = SyncMode(mode)
    _checked(items, mode)
    with transaction.atomic():
        company = Company.objects.only("id", "low_stock_threshold").get(id=actor.company_id)
        locked = products_lock(
            company_id=actor.company_id,
            product_ids={item.product_id for item in items if item.product_id is not None},
            skus={item.sku for item in items if item.sku is not None},
            company=company,
            lean=True,
        )
        by_sku = {p.sku: p for p in locked.values() if p.sku is not None}
        results, changes, seen = [], [], set()
        for i, item in enumerate(items):
            result = ItemResult(index=i, sku=item.sku, product_id=item.product_id)
            results.append(result)
            product = by_sku.get(item.sku) if item.sku is not None else locked.get(item.product_id)
            if product is None:
                named = f"SKU {item.sku}" if item.sku is not None else f"product {item.product_id}"
                result.error, result.message = ItemError.UNKNOWN, f"No {named} in this company."
                continue
            if product.id in seen:
                result.error, result.message = (
                    ItemError.DUPLICATE,
                    "This product is named by an earlier item.",
                )
                continue
            seen.add(product.id)
            if (change := _plan(item, result, product, mode, reason)) is not None:
                changes.append(change)
        failures = [r for r in results if r.error is not None]
        if atomic and failures:
            raise SyncRejected(failures)
        if not changes:
            return SyncOutcome(results, failed=len(failures))
        entry = audit_record(
            actor=actor,
            action=AuditAction.PRODUCT_BULK_UPDATED,
            entity_type="product",
            entity_id="bulk",
            channel=channel,
            metadata={
                "field": "stock",
                "mode": mode.value,
                "source": "stock sync",
                "atomic": atomic,
                "items": len(items),
                "changed": len(changes),
                "failed": len(failures),
                "reason": reason,
                "products": bulk_audit_detail(changes),
            },
        )
        stock_write(
            sorted(changes, key=lambda c: c.product_id),
            LedgerEntry(actor=actor, channel=channel, reason=MovementReason.API, audit_entry_id=entry.id),
        )
    return SyncOutcome(results, changed=len(changes), failed=len(failures), audit_entry_id=entry.id)
