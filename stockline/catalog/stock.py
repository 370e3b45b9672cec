"""The stock writer: every change of Product.stock and Product.version, and every ledger row,
stock.changed event and stock-status event (product.low_stock / out_of_stock /
back_in_stock), is written here.

A stock change is: lock the products (products_lock, in primary-key order so two writers
never deadlock), decide each one's new level (stock_change, stock_delta), then stock_write,
which stores the levels and versions and appends one StockMovement and one stock.changed
event per changed product, in the caller's transaction. New products' opening levels are
recorded by stock_open.

Order placement takes stock conditionally instead (the check and the write in one
statement, so concurrent orders never sell more than there is): stock_take then
stock_taken on SQLite, and on PostgreSQL the parts of the order's single statement that
lock, take and record stock (take_sql_postgresql, ledger_sql_postgresql), which
orders.placement composes with its own rows. Both take what is there by one availability
rule, AVAILABLE.

Every ledger row and its event are written by _ledger_append, or inside PostgreSQL's order
statement by ledger_sql_postgresql: whatever else a stock change sets off (back-in-stock
requests, other events) attaches to those two, both here.

On SQLite `select_for_update` is a no-op; there every write transaction is BEGIN
IMMEDIATE, which already serialises writers.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Q
from django.utils import timezone

from stockline.accounts.models import Company
from stockline.audit.actors import Actor
from stockline.catalog.models import STOCK_MAX, Product, StockMovement
from stockline.catalog.stock_rules import StockStatus, effective_threshold, stock_status, stock_status_sql
from stockline.core.ids import uuid7s
from stockline.core.postgresql import insert_parameters, insert_select, json_time_sql
from stockline.core.rows import row_loaded, rows_update, rows_written
from stockline.events.feed import events_record
from stockline.events.models import Event, EventType
from stockline.events.payloads import event_rows, product_data

# Above this many products a write goes as one prepared statement run per row (COPY on
# PostgreSQL) instead of the ORM's bulk_update, whose CASE per row grows with the square.
_MANY = 50
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """What every movement of one stock write shares."""

    actor: Actor
    channel: str
    reason: str
    audit_entry_id: UUID | None = None
    order_id: UUID | None = None
    reference: str = ""

    def row(self) -> dict:
        """The shared columns of a StockMovement row, as {attname: value}."""
        return {
            "company_id": self.actor.company_id,
            "reason": self.reason,
            "channel": self.channel,
            **self.actor.stamp(),
            "order_id": self.order_id,
            "audit_entry_id": self.audit_entry_id,
            "reference": self.reference,
        }


@dataclass(frozen=True, slots=True)
class StockChange:
    """One product's stock going from `before` to `after`, its version becoming `version`;
    `sku`, `name` and (effective low-stock) `threshold` as the stock.changed event shows them."""

    product_id: UUID
    before: int
    after: int
    version: int
    sku: str | None
    name: str
    threshold: int
    note: str = ""
    clamped: bool = False  # a delta that would have gone below zero, applied as "down to 0"

    @property
    def delta(self) -> int:
        return self.after - self.before


def stock_change(
    product: Product, *, before: int, after: int, note: str = "", clamped: bool = False
) -> StockChange:
    """`product` (locked, its company loaded) going from `before` to `after` (ValueError
    outside 0..STOCK_MAX: callers say why first)."""
    if not 0 <= after <= STOCK_MAX:
        raise ValueError(f"stock level {after} outside 0..{STOCK_MAX}")
    return StockChange(
        product.id,
        before,
        after,
        product.version + 1,
        product.sku,
        product.name,
        product.effective_threshold,
        note,
        clamped,
    )


def products_lock(
    *,
    company_id: UUID,
    product_ids: Iterable[UUID],
    skus: Iterable[str] = (),
    company: Company | None = None,
    lean: bool = False,
) -> dict[UUID, Product]:
    """Lock and return the company's products with these ids (or these `skus`), keyed by id,
    in pk order, their company loaded (joined, or the caller's `company`, shared: a batch of
    thousands then builds one Company, not one per product); `lean` loads only what the stock
    writer reads (_LOCKED_FIELDS)."""
    wanted = Q(id__in=list(product_ids))
    if skus := list(skus):
        wanted |= Q(sku__in=skus)
    qs = Product.objects.select_for_update(of=("self",)).filter(wanted, company_id=company_id).order_by("pk")
    if lean:
        qs = qs.only(*_LOCKED_FIELDS)
    if company is None:
        return {p.id: p for p in qs.select_related("company")}
    products = {}
    for p in qs:
        p.company = company
        products[p.id] = p
    return products


# What stock_change reads of a locked product.
_LOCKED_FIELDS = ("company_id", "stock", "version", "sku", "name", "low_stock_threshold")


def product_lock(*, company_id: UUID, product_id: UUID) -> Product | None:
    return products_lock(company_id=company_id, product_ids=[product_id]).get(product_id)


def level_after(stock: int, delta: int, *, clamp: bool) -> tuple[int, bool]:
    """The level `delta` leaves `stock` at (with `clamp`, never below zero), and whether
    clamping cut it."""
    target = stock + delta
    if clamp and target < 0:
        return 0, True
    return target, False


def stock_delta(product: Product, delta: int, *, clamp: bool = False, note: str = "") -> StockChange:
    """`delta` units added to (or taken from) `product`; with `clamp`, never below zero."""
    after, clamped = level_after(product.stock, delta, clamp=clamp)
    if clamped:
        note = note or "Clamped at 0"
    return stock_change(product, before=product.stock, after=after, note=note, clamped=clamped)


def stock_write(
    changes: Sequence[StockChange], entry: LedgerEntry, *, now: datetime | None = None
) -> list[dict]:
    """Store these products' new levels and versions, their ledger rows and stock.changed
    events; the products must be locked by the caller's transaction (products_lock). Changes
    to the same level are skipped. Returns the ledger rows written, as {attname: value}
    (movement_loaded makes one a StockMovement)."""
    changes = [c for c in changes if c.after != c.before]
    if not changes:
        return []
    now = now or timezone.now()
    if len(changes) == 1:
        (c,) = changes
        Product.objects.filter(pk=c.product_id).update(stock=c.after, version=c.version, updated_at=now)
    elif len(changes) <= _MANY:
        products = [
            Product(id=c.product_id, stock=c.after, version=c.version, updated_at=now) for c in changes
        ]
        Product.objects.bulk_update(products, ["stock", "version", "updated_at"])
    else:
        rows = [(c.after, c.version, now, c.product_id) for c in changes]
        rows_update(Product, ["stock", "version", "updated_at"], rows)
    return _ledger_append(changes, entry, now)


class Opening(NamedTuple):
    """A new product's opening level, the stock its row was inserted with (at version 1)."""

    product_id: UUID
    stock: int
    sku: str | None
    name: str
    threshold: int  # effective low-stock threshold


def stock_open(openings: Sequence[Opening], entry: LedgerEntry, *, now: datetime | None = None) -> None:
    """The first ledger row and stock.changed event of each new product."""
    changes = [
        StockChange(o.product_id, 0, o.stock, 1, o.sku, o.name, o.threshold, "Opening stock")
        for o in openings
    ]
    # A new product's opening is not a status change: product.created tells its status.
    _ledger_append(changes, entry, now or timezone.now(), statuses=False)


def movement_loaded(row: dict) -> StockMovement:
    return row_loaded(StockMovement, row)


def _ledger_append(
    changes: Sequence[StockChange],
    entry: LedgerEntry,
    now: datetime,
    ids: Sequence[UUID] | None = None,
    *,
    statuses: bool = True,
    events: Sequence[dict] = (),
) -> list[dict]:
    """Append one StockMovement and one stock.changed event per change (movement ids chosen by
    the caller, or new), and with `statuses` the product events of each stock status the
    changes move, all created `now`, after the caller's `events`."""
    shared = entry.row() | {"created_at": now}
    rows = [
        {
            "id": movement_id,
            "product_id": c.product_id,
            "delta": c.delta,
            "stock_before": c.before,
            "stock_after": c.after,
            "note": c.note[:200],
            "version": c.version,
        }
        for movement_id, c in zip(ids or uuid7s(len(changes)), changes, strict=True)
    ]
    rows_written(StockMovement, rows, shared)
    company_id = entry.actor.company_id
    events = list(events) + event_rows(
        company_id,
        EventType.STOCK_CHANGED,
        [stock_changed_data(c, entry, row["id"]) for c, row in zip(changes, rows, strict=True)],
        now,
    )
    if statuses:
        events += _status_events(company_id, changes, now)
    events_record(events)
    return [shared | row for row in rows]


def status_event_types(*, before: str, after: str) -> list[str]:
    """The product events of a stock status going from `before` to `after`: it left
    OUT_OF_STOCK (back in stock), and/or entered LOW_STOCK or OUT_OF_STOCK."""
    if before == after:
        return []
    types = []
    if before == StockStatus.OUT_OF_STOCK:
        types.append(EventType.PRODUCT_BACK_IN_STOCK)
    if after == StockStatus.LOW_STOCK:
        types.append(EventType.PRODUCT_LOW_STOCK)
    elif after == StockStatus.OUT_OF_STOCK:
        types.append(EventType.PRODUCT_OUT_OF_STOCK)
    return types


def _status_events(company_id: UUID, changes: Sequence[StockChange], now: datetime) -> list[dict]:
    """The product.low_stock / out_of_stock / back_in_stock events of `changes` (products read
    once more, after their write, only when a status moved)."""
    moved = [
        (c.product_id, types)
        for c in changes
        if (
            types := status_event_types(
                before=stock_status(stock=c.before, threshold=c.threshold),
                after=stock_status(stock=c.after, threshold=c.threshold),
            )
        )
    ]
    if not moved:
        return []
    products = (
        Product.objects.filter(company_id=company_id)
        .select_related("company")
        .in_bulk([product_id for product_id, _ in moved])
    )
    events = []
    for product_id, types in moved:
        product = products[product_id]
        data = product_data(product, company_threshold=product.company.low_stock_threshold)
        for type_ in types:
            events += event_rows(company_id, type_, [data], now)
    return events


def stock_changed_data(change: StockChange, entry: LedgerEntry, movement_id: UUID) -> dict:
    """The data of a stock.changed event; _STOCK_CHANGED_POSTGRESQL is its twin in SQL."""
    return {
        "productId": str(change.product_id),
        "sku": change.sku,
        "name": change.name,
        "delta": change.delta,
        "stockBefore": change.before,
        "stockAfter": change.after,
        "stockStatus": stock_status(stock=change.after, threshold=change.threshold),
        "reason": entry.reason,
        "movementId": str(movement_id),
        "orderId": str(entry.order_id) if entry.order_id else None,
        "version": change.version,
    }


# The one availability rule of order placement: a product is taken for a line when it is
# active and holds at least the quantity. SQL over the product row `p` and the wanted row `w`.
AVAILABLE = "{p}.is_active AND {p}.stock >= {w}.quantity"


class TakenProduct(NamedTuple):
    """A product an order took stock of, with what the order freezes onto its line."""

    product_id: UUID
    stock_after: int
    name: str
    sku: str | None
    price: Decimal
    threshold_override: int | None
    version: int  # after the take


@dataclass(frozen=True, slots=True)
class StockTake:
    """What a conditional take did: the products taken, in pk order; the ids of those that
    were not (missing, inactive or short: the caller rolls back when there are any); and,
    when anything was taken, the company's default threshold and the value of the caller's
    one-value query."""

    taken: list[TakenProduct]
    failed: list[UUID]
    company_threshold: int | None = None
    value: object = None


_TAKE_SQLITE = """
WITH wanted (id, quantity) AS (VALUES {rows})
UPDATE {product} SET stock = stock - w.quantity, version = version + 1, updated_at = %(now)s
FROM wanted w
WHERE {product}.id = w.id AND company_id = %(company)s AND {available}
RETURNING id, stock, name, sku, price, low_stock_threshold, version,
    (SELECT low_stock_threshold FROM {company} WHERE id = %(company)s), ({value})
"""


@functools.cache
def take_sql_sqlite(products: int, value: str = "NULL") -> str:
    """SQLite: take stock of `products` products in one statement (named parameters:
    company, now, id<i>, quantity<i>, and those of `value`, a one-value query evaluated
    once, as is the company's threshold: uncorrelated subqueries). bench/floor.py runs it too."""
    quote = connection.ops.quote_name
    rows = ", ".join(f"(%(id{i})s, %(quantity{i})s)" for i in range(products))
    product = quote(Product._meta.db_table)
    return _TAKE_SQLITE.format(
        rows=rows,
        product=product,
        company=quote(Company._meta.db_table),
        available=AVAILABLE.format(p=product, w="w"),
        value=value,
    )


def stock_take(
    *, company_id: UUID, wanted: dict[UUID, int], now: datetime, value: tuple[str, dict] = ("NULL", {})
) -> StockTake:
    """SQLite: take every quantity that is there (`wanted`: product id -> quantity), in the
    caller's BEGIN IMMEDIATE transaction; the caller records the movements (stock_taken)."""
    db = connections[DEFAULT_DB_ALIAS]
    to_param = Product._meta.pk.get_db_prep_value
    by_param = {to_param(product_id, db): product_id for product_id in wanted}
    value_sql, params = value
    params = {
        **params,
        "company": to_param(company_id, db),
        "now": Product._meta.get_field("updated_at").get_db_prep_save(now, db),
    }
    for i, (key, quantity) in enumerate(zip(by_param, wanted.values(), strict=True)):
        params[f"id{i}"], params[f"quantity{i}"] = key, quantity
    with db.cursor() as cursor:
        cursor.execute(take_sql_sqlite(len(wanted), value_sql), params)
        rows = cursor.fetchall()
    taken = sorted(
        TakenProduct(by_param[r[0]], r[1], r[2], r[3], Decimal(str(r[4])).quantize(_CENT), r[5], r[6])
        for r in rows
    )
    failed = [] if len(taken) == len(wanted) else sorted(wanted.keys() - {t.product_id for t in taken})
    if not rows:
        return StockTake(taken, failed)
    return StockTake(taken, failed, company_threshold=rows[0][7], value=rows[0][8])


def stock_taken(
    take: StockTake,
    wanted: dict[UUID, int],
    entry: LedgerEntry,
    *,
    now: datetime,
    ids: Sequence[UUID],
    events: Sequence[dict] = (),
) -> None:
    """The ledger rows and events of a complete SQLite take, the movements with these ids;
    the caller's `events` (rows for events_record) are written first, in the same INSERT."""
    changes = [
        StockChange(
            t.product_id,
            t.stock_after + wanted[t.product_id],
            t.stock_after,
            t.version,
            t.sku,
            t.name,
            effective_threshold(override=t.threshold_override, company_default=take.company_threshold),
        )
        for t in take.taken
    ]
    _ledger_append(changes, entry, now, ids, events=events)


# PostgreSQL: the WITH queries of an order's single statement that lock, take and record its
# stock. `locked` reads each product's latest row under its lock, `go` says whether every one
# is AVAILABLE, and nothing is updated unless all are. The UPDATE works from what `locked`
# read, never from the row its own scan finds: that scan reads the statement's snapshot, older
# than the locked row when another transaction changed it in between (READ COMMITTED
# re-applies the UPDATE to the locked row only if its filter lets it through, and checks the
# constraints on the stale version first; both found by the concurrency tests).
_TAKE_POSTGRESQL = """wanted (id, quantity, movement_id, event_id, status_event_id) AS (VALUES {wanted}),
locked AS MATERIALIZED (
    SELECT p.id, p.stock, p.version, {available} AS enough
    FROM {product} p JOIN wanted w ON w.id = p.id
    WHERE p.company_id = %(company)s ORDER BY p.id FOR UPDATE OF p
),
go AS MATERIALIZED (SELECT count(*) FILTER (WHERE enough) = {products} AS ok FROM locked),
taken AS (
    UPDATE {product} p SET stock = l.stock - w.quantity, version = l.version + 1, updated_at = %(now)s
    FROM wanted w, locked l, go
    WHERE go.ok AND p.id = w.id AND l.id = p.id
    RETURNING p.id, p.stock, p.name, p.sku, p.price, p.low_stock_threshold, p.version,
        w.quantity, w.movement_id, w.event_id, w.status_event_id,
        p.description, p.category, p.unit, p.is_active, p.created_at, p.updated_at
)"""

# The ledger row of each product in `taken t`, timed by `at` of the caller's one-row `h`.
_LEDGER_COMPUTED = {
    "id": "t.movement_id",
    "created_at": "h.at",
    "product_id": "t.id",
    "delta": "-t.quantity",
    "stock_before": "t.stock + t.quantity",
    "stock_after": "t.stock",
    "version": "t.version",
}

# stock_changed_data() in SQL, over `taken t` and the ledger's parameters.
_STOCK_CHANGED_POSTGRESQL = """jsonb_build_object(
    'productId', t.id::text, 'sku', t.sku, 'name', t.name, 'delta', -t.quantity,
    'stockBefore', t.stock + t.quantity, 'stockAfter', t.stock,
    'stockStatus', {status}, 'reason', %(m_reason)s::text, 'movementId', t.movement_id::text,
    'orderId', %(m_order_id)s::text, 'version', t.version)"""


# product_data() (api.serializers.product_json) in SQL, over `taken t`: the data of the
# product.low_stock / out_of_stock events an order's take sets off.
_PRODUCT_POSTGRESQL = """jsonb_build_object(
    'id', t.id::text, 'name', t.name, 'sku', t.sku, 'description', NULLIF(t.description, ''),
    'category', NULLIF(t.category, ''), 'unit', t.unit, 'price', t.price::float8, 'stock', t.stock,
    'lowStockThreshold', {threshold}, 'lowStockThresholdOverride', t.low_stock_threshold,
    'stockStatus', {status}, 'isActive', t.is_active,
    'createdAt', {created_at}, 'updatedAt', {updated_at})"""


@functools.cache
def take_sql_postgresql(products: int) -> str:
    """The WITH queries `wanted`, `locked`, `go` and `taken` (one row per product taken:
    id, stock after, name, sku, price, threshold override, version after, quantity, movement
    id, event ids, and the rest of the product), for `products` products; parameters from
    take_parameters_postgresql."""
    wanted = ", ".join(
        f"(%(id{i})s::uuid, %(quantity{i})s::integer, %(movement{i})s::uuid, %(event{i})s::uuid,"
        f" %(status_event{i})s::uuid)"
        for i in range(products)
    )
    return _TAKE_POSTGRESQL.format(
        wanted=wanted,
        product=connection.ops.quote_name(Product._meta.db_table),
        available=AVAILABLE.format(p="p", w="w"),
        products=products,
    )


@functools.cache
def ledger_sql_postgresql(head: str) -> str:
    """The WITH queries `written_ledger`, `written_events` and `written_statuses`: INSERT ...
    SELECTs of the ledger rows, stock.changed events and status events of `taken`, created at
    the `at` of the caller's one-row WITH query `head`.

    A take only lowers stock, so the status events it can set off are those of
    status_event_types() for a status that moved down: it entered LOW_STOCK or OUT_OF_STOCK."""
    quote = connection.ops.quote_name
    company = quote(Company._meta.db_table)
    threshold = (
        f"COALESCE(t.low_stock_threshold, (SELECT low_stock_threshold FROM {company} WHERE id = %(company)s))"  # noqa: S608
    )
    after = stock_status_sql("t.stock", threshold)
    before = stock_status_sql("(t.stock + t.quantity)", threshold)
    data = _STOCK_CHANGED_POSTGRESQL.format(status=after)
    source = f"taken t, {head} h"
    ledger = insert_select(StockMovement, _LEDGER_COMPUTED, "m", source, connection)
    insert = f"INSERT INTO {quote(Event._meta.db_table)} (id, company_id, type, data, created_at) "
    events = (
        f"{insert}SELECT t.event_id, %(company)s, '{EventType.STOCK_CHANGED.value}', {data}, h.at"  # noqa: S608
        f" FROM {source}"
    )
    product = _PRODUCT_POSTGRESQL.format(
        threshold=threshold,
        status=after,
        created_at=json_time_sql("t.created_at"),
        updated_at=json_time_sql("t.updated_at"),
    )
    statuses = (
        f"{insert}SELECT t.status_event_id, %(company)s, CASE {after}"  # noqa: S608
        f" WHEN '{StockStatus.OUT_OF_STOCK.value}' THEN '{EventType.PRODUCT_OUT_OF_STOCK.value}'"
        f" ELSE '{EventType.PRODUCT_LOW_STOCK.value}' END, {product}, h.at FROM {source}"
        f" WHERE {after} <> {before}"
    )
    return f"written_ledger AS ({ledger}),\nwritten_events AS ({events}),\nwritten_statuses AS ({statuses})"


def take_parameters_postgresql(
    *,
    company_id: UUID,
    wanted: dict[UUID, int],
    movement_ids: Sequence[UUID],
    entry: LedgerEntry,
    now: datetime,
) -> dict:
    params = {"company": company_id, "now": now}
    event_ids = uuid7s(2 * len(wanted))  # the stock.changed events', then the status events'
    for i, ((product_id, quantity), movement_id) in enumerate(zip(wanted.items(), movement_ids, strict=True)):
        params[f"id{i}"], params[f"quantity{i}"], params[f"movement{i}"] = product_id, quantity, movement_id
        params[f"event{i}"], params[f"status_event{i}"] = event_ids[i], event_ids[len(wanted) + i]
    db = connections[DEFAULT_DB_ALIAS]
    return params | insert_parameters(StockMovement, _LEDGER_COMPUTED, "m", entry.row(), db)
