"""PostgreSQL: a whole order as one statement.

order_place's writes on PostgreSQL, in the order it makes them on SQLite (the conditional
decrement of every product, here with the rows locked in primary-key order first, then the
order, its audit entry, lines and ledger rows), as data-modifying WITH queries of a single
statement. Outside
a transaction that statement is its own: one round trip per order instead of four (BEGIN,
the decrement, the INSERTs, COMMIT), each a wake-up of a database backend and of the web
worker (bench/README.md).

All or nothing within the statement: `locked` reads every product's latest row under its
lock, `go` says whether each one has the stock, and nothing is updated, numbered or
inserted unless all do; then the rows hand back why not, and no order number is spent.
The UPDATE works from what `locked` read, never from the row its own scan finds: that scan
reads the statement's snapshot, older than the locked row when another transaction changed
it in between. READ COMMITTED re-applies the UPDATE to the locked row, but only to rows its
filter let through (a filter on stock there skipped rows whose stock had been raised,
leaving an order without a line), and checks the constraints first on the stale version
(stock - quantity below zero there failed stock >= 0): both found by the concurrency tests.

Values only the database knows (the frozen name, SKU and price, stock after, the number,
the total, the time) are SQL expressions over `taken` (the updated products) and `head`
(the order's one row); everything else is a parameter, from the same values order_place
builds for the other databases. Times are taken after the rows are locked, so the ledger's
times follow the order in which stock changed. They are the database server's clock
(clock_timestamp()), where the other stock writers stamp the web server's: a product's
ledger order across the two relies on those clocks agreeing (one host here; NTP-synced
otherwise).
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connections

from stockline.accounts.models import Company
from stockline.audit.models import AuditEntry
from stockline.catalog.models import Product, StockMovement
from stockline.core.postgresql import prepared
from stockline.orders.models import Order, OrderLine

# Per model: the columns the statement computes, and what from ("t": the product's row in
# `taken`, "h": the order's row in `head`). Every other column is a parameter named
# "<prefix>_<attname>", the same for every row of that model in the order.
_COMPUTED = {
    Order: {"created_at": "h.at", "updated_at": "h.at", "number": "h.number", "total": "h.total"},
    AuditEntry: {
        "created_at": "h.at",
        # as order_place builds it: {"number", "total", "customer", "lines": [...] by product}
        "metadata": (
            "jsonb_build_object('number', h.number, 'total', h.total::text, 'customer', %(a_customer)s::text,"
            " 'lines', (SELECT jsonb_agg(jsonb_build_object('product', x.id::text, 'sku', x.sku,"
            " 'quantity', x.quantity) ORDER BY x.id) FROM taken x))"
        ),
    },
    OrderLine: {
        "id": "t.line_id",
        "product_id": "t.id",
        "product_name": "t.name",
        "product_sku": "t.sku",
        "quantity": "t.quantity",
        "unit_price": "t.price",
    },
    StockMovement: {
        "id": "t.movement_id",
        "product_id": "t.id",
        "created_at": "h.at",
        "delta": "-t.quantity",
        "stock_before": "t.stock + t.quantity",
        "stock_after": "t.stock",
    },
}
_PREFIX = {Order: "o", AuditEntry: "a", OrderLine: "l", StockMovement: "m"}
_PER_PRODUCT = {OrderLine, StockMovement}  # a row for each product taken; else one per order

_STATEMENT = """
WITH wanted (id, quantity, line_id, movement_id) AS (VALUES {wanted}),
locked AS MATERIALIZED (
    SELECT p.id, p.stock, p.is_active AND p.stock >= w.quantity AS enough
    FROM {product} p JOIN wanted w ON w.id = p.id
    WHERE p.company_id = %(company)s ORDER BY p.id FOR UPDATE OF p
),
go AS MATERIALIZED (SELECT count(*) FILTER (WHERE enough) = {products} AS ok FROM locked),
taken AS (
    UPDATE {product} p SET stock = l.stock - w.quantity, updated_at = %(now)s
    FROM wanted w, locked l, go
    WHERE go.ok AND p.id = w.id AND l.id = p.id
    RETURNING p.id, p.stock, p.name, p.sku, p.price, p.low_stock_threshold,
        w.quantity, w.line_id, w.movement_id
),
head AS MATERIALIZED (
    SELECT ({number}) AS number, clock_timestamp() AS at,
        (SELECT sum(x.price * x.quantity) FROM taken x) AS total
    FROM go WHERE go.ok
),
{inserts}
SELECT l.id, l.enough, t.stock, t.name, t.sku, t.price, t.low_stock_threshold, h.number, h.at, h.total,
    (SELECT low_stock_threshold FROM {company} WHERE id = %(company)s)
FROM locked l LEFT JOIN taken t ON t.id = l.id LEFT JOIN head h ON true
"""


def _insert(model, connection) -> str:
    """INSERT ... SELECT of one model's rows: one per order (FROM head) or per product
    (FROM taken, head)."""
    quote = connection.ops.quote_name
    computed = _COMPUTED[model]
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    unknown = computed.keys() - {f.attname for f in fields}
    if unknown:
        raise LookupError(f"{model.__name__} has no columns {sorted(unknown)}")
    prefix = _PREFIX[model]
    values = [computed.get(f.attname) or f"%({prefix}_{f.attname})s::{f.db_type(connection)}" for f in fields]
    source = "taken t, head h" if model in _PER_PRODUCT else "head h"
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {source}"
    )


@functools.cache
def order_statement(products: int, number: str) -> str:
    """The statement for an order of `products` products, numbered by the one-value query
    `number` (orders.numbers). Named parameters: company, now, id<i>, quantity<i>, line<i>,
    movement<i>, a_customer, each parameter column's <prefix>_<attname>, and `number`'s."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    wanted = ", ".join(
        f"(%(id{i})s::uuid, %(quantity{i})s::integer, %(line{i})s::uuid, %(movement{i})s::uuid)"
        for i in range(products)
    )
    inserts = ",\n".join(
        f"written_{i} AS ({_insert(model, connection)})" for i, model in enumerate(_COMPUTED)
    )
    return prepared(
        _STATEMENT.format(
            wanted=wanted,
            product=quote(Product._meta.db_table),
            company=quote(Company._meta.db_table),
            products=products,
            number=number,
            inserts=inserts,
        )
    )


@functools.cache
def parameter_columns(model) -> list[tuple[str, str, object]]:
    """(parameter name, attname, field) of each column of `model` the statement takes as a
    parameter."""
    computed, prefix = _COMPUTED[model], _PREFIX[model]
    return [
        (f"{prefix}_{f.attname}", f.attname, f)
        for f in model._meta.concrete_fields
        if not f.generated and f.attname not in computed
    ]
