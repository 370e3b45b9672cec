"""Every write to a product, and every stock change outside order placement.

Each service runs in one transaction, takes product row locks in pk order and writes stock
through catalog.stock (with its ledger rows and stock events), with an audit entry and the
product.created / product.updated event of what it changed, and raises a typed error from
catalog.errors (or Django's ValidationError for field rules) without writing anything.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stockline.accounts.permissions import Perm
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.catalog.errors import (
    BulkSelectionTooLarge,
    ProductUnavailable,
    StockConflict,
    StockWouldGoNegative,
)
from stockline.catalog.models import STOCK_MAX, MovementReason, Product, StockMovement
from stockline.catalog.stock import (
    LedgerEntry,
    Opening,
    level_after,
    movement_loaded,
    product_lock,
    products_lock,
    status_event_types,
    stock_change,
    stock_delta,
    stock_open,
    stock_write,
)
from stockline.catalog.stock_rules import effective_threshold, stock_status
from stockline.core.channels import Channel
from stockline.events.feed import events_record
from stockline.events.models import EventType
from stockline.events.payloads import event_rows, product_data, products_data

# Fields a caller may set through product_create / product_update.
PRODUCT_FIELDS = (
    "name",
    "sku",
    "description",
    "category",
    "unit",
    "price",
    "stock",
    "low_stock_threshold",
    "is_active",
)

# A bulk action touches at most this many products, so one request stays one short transaction.
BULK_LIMIT = 10_000
# Bulk audit entries list at most this many products; the ledger keeps every one.
BULK_AUDIT_DETAIL_LIMIT = 100

_SKU_TAKEN = "A product with this SKU already exists."


def _edit_ledger(*, actor: Actor, channel: str, audit_entry_id: UUID, reference: str = "") -> LedgerEntry:
    """The ledger entry of a product edit or adjustment: its reason says through what."""
    reason = {Channel.API: MovementReason.API, Channel.IMPORT: MovementReason.IMPORT}.get(
        channel, MovementReason.EDIT
    )
    return LedgerEntry(
        actor=actor, channel=channel, reason=reason, audit_entry_id=audit_entry_id, reference=reference
    )


def _audit_value(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def _whole_number_errors(product: Product) -> dict[str, list[str]]:
    """Stock and threshold are whole numbers; full_clean alone would truncate 2.5 to 2."""
    return {
        name: ["Enter a whole number."]
        for name in ("stock", "low_stock_threshold")
        if isinstance(value := getattr(product, name), bool)
        or (isinstance(value, float | Decimal) and value % 1 != 0)
    }


def _check(product: Product) -> None:
    """The field rules (ValidationError)."""
    if errors := _whole_number_errors(product):
        raise ValidationError(errors)
    product.full_clean(validate_constraints=False)


def _save(product: Product, *, update_fields: list[str] | None = None) -> None:
    """Save; a taken SKU (checked by the database only, so a lost race and a plain duplicate
    give the same error) becomes a ValidationError on `sku`."""
    try:
        with transaction.atomic():
            product.save(update_fields=update_fields)
    except IntegrityError as exc:
        if "sku" in str(exc).lower():
            raise ValidationError({"sku": [_SKU_TAKEN]}) from exc
        raise


def product_create(
    *,
    actor: Actor,
    channel: str,
    name: str,
    price: Decimal,
    sku: str | None = None,
    description: str = "",
    category: str = "",
    unit: str = "each",
    stock: int = 0,
    low_stock_threshold: int | None = None,
    is_active: bool = True,
    reference: str = "",
) -> Product:
    """Create a product; its opening stock is the first row of its ledger. Writes its
    product.created event."""
    actor.require(Perm.MANAGE_PRODUCTS)
    product = Product(
        company_id=actor.company_id,
        name=name,
        sku=sku or None,
        description=description or "",
        category=category or "",
        unit=unit or "each",
        price=price,
        stock=stock,
        low_stock_threshold=low_stock_threshold,
        is_active=is_active,
    )
    with transaction.atomic():
        _check(product)
        _save(product)
        entry = audit_record(
            actor=actor,
            action=AuditAction.PRODUCT_CREATED,
            entity_type="product",
            entity_id=product.id,
            channel=channel,
            metadata={f: _audit_value(getattr(product, f)) for f in PRODUCT_FIELDS},
        )
        # product.created first: a consumer meets the product before its opening stock.
        data = product_data(product, company_threshold=product.company.low_stock_threshold)
        events_record(event_rows(actor.company_id, EventType.PRODUCT_CREATED, [data], product.created_at))
        stock_open(
            [Opening(product.id, product.stock, product.sku, product.name, product.effective_threshold)],
            _edit_ledger(actor=actor, channel=channel, audit_entry_id=entry.id, reference=reference),
            now=product.created_at,
        )
    return product


def product_update(
    *,
    actor: Actor,
    channel: str,
    product_id: UUID,
    changes: dict,
    expected_stock: int | None = None,
    reference: str = "",
) -> Product:
    """Change any product fields. A stock change is logged with before/after in the ledger.

    `expected_stock` turns a stock set into compare-and-set: StockConflict if the stock is
    no longer that value (so a blind set never overwrites a concurrent sale).

    Writes product.updated (the product after the change) when a field other than stock
    changed, and the status events of a threshold change that moves the product's status.
    """
    actor.require(Perm.MANAGE_PRODUCTS)
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValidationError({f: ["Unknown field."] for f in sorted(unknown)})
    with transaction.atomic():
        product = product_lock(company_id=actor.company_id, product_id=product_id)
        if product is None:
            raise ProductUnavailable([product_id])
        if expected_stock is not None and product.stock != expected_stock:
            raise StockConflict(product_id=product.id, expected=expected_stock, actual=product.stock)
        before = {f: getattr(product, f) for f in PRODUCT_FIELDS}
        for name, value in changes.items():
            if name == "sku":
                value = value or None
            setattr(product, name, value)
        diff = {
            f: [_audit_value(before[f]), _audit_value(getattr(product, f))]
            for f in PRODUCT_FIELDS
            if getattr(product, f) != before[f]
        }
        if not diff:
            return product
        _check(product)
        if fields := [f for f in diff if f != "stock"]:
            _save(product, update_fields=[*fields, "updated_at"])  # auto_now stamps updated_at
        else:
            product.updated_at = timezone.now()
        now = product.updated_at  # what stock_write stamps too, so the row and its events agree
        entry = audit_record(
            actor=actor,
            action=AuditAction.PRODUCT_UPDATED,
            entity_type="product",
            entity_id=product.id,
            channel=channel,
            metadata={"changes": diff},
        )
        if fields:
            # The edit's events come first: a threshold change counts as made before the stock's.
            events_record(_product_updated_events(product, before, fields, now))
        if "stock" in diff:
            stock_write(
                [stock_change(product, before=before["stock"], after=product.stock)],
                _edit_ledger(actor=actor, channel=channel, audit_entry_id=entry.id, reference=reference),
                now=now,
            )
    return product


def _product_updated_events(product: Product, before: dict, fields: list[str], now) -> list[dict]:
    """product.updated of a locked product whose non-stock `fields` changed, and the status
    events of its threshold moving its status at the stock it had (catalog.stock writes those
    of a stock change, at the new threshold)."""
    company_threshold = product.company.low_stock_threshold
    data = product_data(product, company_threshold=company_threshold)
    types = [EventType.PRODUCT_UPDATED]
    if "low_stock_threshold" in fields:
        status_at = {
            when: stock_status(
                stock=before["stock"],
                threshold=effective_threshold(override=override, company_default=company_threshold),
            )
            for when, override in (
                ("before", before["low_stock_threshold"]),
                ("after", product.low_stock_threshold),
            )
        }
        types += status_event_types(**status_at)
    return [row for type_ in types for row in event_rows(product.company_id, type_, [data], now)]


def bulk_audit_detail(changes) -> list[dict]:
    """The products a bulk stock entry lists (the first BULK_AUDIT_DETAIL_LIMIT): each change's
    product id, SKU, and stock before and after."""
    return [
        {"id": str(c.product_id), "sku": c.sku, "before": c.before, "after": c.after}
        for c in changes[:BULK_AUDIT_DETAIL_LIMIT]
    ]


def _bulk_selection(product_ids) -> list[UUID]:
    """The distinct ids of a bulk action, in the order given: at least one, at most BULK_LIMIT."""
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        raise ValidationError({"product_ids": ["Select at least one product."]})
    if len(ids) > BULK_LIMIT:
        raise BulkSelectionTooLarge(limit=BULK_LIMIT, selected=len(ids))
    return ids


def _bulk_all_found(ids: list[UUID], found) -> None:
    """Every selected id is one of the actor's company's products, or the whole batch is refused."""
    missing = [pid for pid in ids if pid not in found]
    if missing:
        raise ProductUnavailable(missing)


class BulkMode(StrEnum):
    SET = "SET"
    DELTA = "DELTA"


@dataclass(frozen=True, slots=True)
class BulkChange:
    product_id: UUID
    name: str
    sku: str | None
    before: int
    after: int
    clamped: bool  # a Delta that would have gone below zero, applied as "down to 0"


@dataclass(slots=True)
class BulkPlan:
    mode: BulkMode
    value: int
    changes: list[BulkChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def clamped(self) -> list[BulkChange]:
        return [c for c in self.changes if c.clamped]


def stock_bulk_plan(*, products, mode: BulkMode, value: int) -> BulkPlan:
    """What a bulk Set/Delta would do to these products, without writing anything."""
    mode = BulkMode(mode)
    if mode == BulkMode.SET and value < 0:
        raise ValidationError({"value": ["Stock cannot be negative."]})
    if mode == BulkMode.DELTA and value == 0:
        raise ValidationError({"value": ["Enter a non-zero amount to add or subtract."]})
    plan = BulkPlan(mode=mode, value=value)
    for product in products:
        target = value if mode == BulkMode.SET else product.stock + value
        if target > STOCK_MAX:
            raise ValidationError(
                {"value": [f"{product.name} would exceed the largest stock level ({STOCK_MAX})."]}
            )
        after, clamped = (
            (value, False) if mode == BulkMode.SET else level_after(product.stock, value, clamp=True)
        )
        if after == product.stock:
            plan.unchanged += 1
            continue
        plan.changes.append(
            BulkChange(
                product_id=product.id,
                name=product.name,
                sku=product.sku,
                before=product.stock,
                after=after,
                clamped=clamped,
            )
        )
    return plan


def stock_bulk_preview(*, actor: Actor, product_ids: list[UUID], mode: BulkMode, value: int) -> BulkPlan:
    """What stock_bulk_adjust would do now, products by name, without locking or writing.

    Refuses what stock_bulk_adjust refuses: an empty or too large selection, an id that is not
    one of the company's products, a bad value.
    """
    actor.require(Perm.MANAGE_PRODUCTS)
    ids = _bulk_selection(product_ids)
    products = Product.objects.filter(company_id=actor.company_id, id__in=ids).order_by("name", "id")
    found = {p.id: p for p in products.only("id", "name", "sku", "stock")}
    _bulk_all_found(ids, found)
    return stock_bulk_plan(products=found.values(), mode=mode, value=value)


def stock_bulk_adjust(
    *, actor: Actor, channel: str, product_ids: list[UUID], mode: BulkMode, value: int
) -> BulkPlan:
    """Set every selected product to `value`, or add `value` (±) to each, clamped at 0.

    The applied delta is what the ledger records; one ProductBulkUpdated entry covers the
    batch. Refuses, writing nothing, an empty selection, more than BULK_LIMIT products
    (BulkSelectionTooLarge) and any id that is not one of the company's products.
    """
    actor.require(Perm.MANAGE_PRODUCTS)
    ids = _bulk_selection(product_ids)
    with transaction.atomic():
        locked = products_lock(company_id=actor.company_id, product_ids=ids)
        _bulk_all_found(ids, locked)
        plan = stock_bulk_plan(products=locked.values(), mode=mode, value=value)
        if not plan.changes:
            return plan
        entry = audit_record(
            actor=actor,
            action=AuditAction.PRODUCT_BULK_UPDATED,
            entity_type="product",
            entity_id="bulk",
            channel=channel,
            metadata={
                "field": "stock",
                "mode": plan.mode.value,
                "value": value,
                "selected": len(ids),
                "changed": len(plan.changes),
                "clamped": len(plan.clamped),
                "products": bulk_audit_detail(plan.changes),
            },
        )
        reason = MovementReason.BULK_SET if plan.mode == BulkMode.SET else MovementReason.BULK_DELTA
        stock_write(
            [
                stock_change(
                    locked[c.product_id],
                    before=c.before,
                    after=c.after,
                    note="Clamped at 0" if c.clamped else "",
                )
                for c in plan.changes
            ],
            LedgerEntry(actor=actor, channel=channel, reason=reason, audit_entry_id=entry.id),
        )
    return plan


def product_bulk_set_active(*, actor: Actor, channel: str, product_ids: list[UUID], is_active: bool) -> int:
    """Activate or deactivate the selected products; returns how many changed. Writes one
    product.updated per product changed.

    Refuses, as stock_bulk_adjust does and writing nothing, an empty or too large selection
    and any id that is not one of the company's products.
    """
    actor.require(Perm.MANAGE_PRODUCTS)
    ids = _bulk_selection(product_ids)
    with transaction.atomic():
        locked = products_lock(company_id=actor.company_id, product_ids=ids)
        _bulk_all_found(ids, locked)
        changed = [p for p in locked.values() if p.is_active != is_active]
        if not changed:
            return 0
        now = timezone.now()
        Product.objects.filter(id__in=[p.id for p in changed]).update(is_active=is_active, updated_at=now)
        for product in changed:
            product.is_active, product.updated_at = is_active, now
        company_threshold = changed[0].company.low_stock_threshold
        events_record(
            event_rows(
                actor.company_id,
                EventType.PRODUCT_UPDATED,
                products_data(changed, company_threshold=company_threshold),
                now,
            )
        )
        audit_record(
            actor=actor,
            action=AuditAction.PRODUCT_BULK_UPDATED,
            entity_type="product",
            entity_id="bulk",
            channel=channel,
            metadata={
                "field": "is_active",
                "value": is_active,
                "selected": len(ids),
                "changed": len(changed),
                "products": [str(p.id) for p in changed[:BULK_AUDIT_DETAIL_LIMIT]],
            },
        )
    return len(changed)


def stock_adjust(
    *, actor: Actor, channel: str, product_id: UUID, delta: int, note: str = ""
) -> StockMovement:
    """Add or remove `delta` units; refused (nothing written) if stock would go below zero."""
    actor.require(Perm.MANAGE_PRODUCTS)
    if delta == 0:
        raise ValidationError({"delta": ["delta must not be zero."]})
    with transaction.atomic():
        product = product_lock(company_id=actor.company_id, product_id=product_id)
        if product is None:
            raise ProductUnavailable([product_id])
        before = product.stock
        if before + delta < 0:
            raise StockWouldGoNegative(product_name=product.name, stock=before, delta=delta)
        if before + delta > STOCK_MAX:
            raise ValidationError({"delta": [f"Stock cannot exceed {STOCK_MAX}."]})
        change = stock_delta(product, delta, note=note)
        entry = audit_record(
            actor=actor,
            action=AuditAction.STOCK_ADJUSTED,
            entity_type="product",
            entity_id=product.id,
            channel=channel,
            metadata={"stock": [change.before, change.after], "delta": delta, "reason": note},
        )
        (movement,) = stock_write(
            [change],
            _edit_ledger(actor=actor, channel=channel, audit_entry_id=entry.id),
        )
    return movement_loaded(movement)
