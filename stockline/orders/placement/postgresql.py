"""PostgreSQL: a whole order as one statement.

The stock part comes from catalog.stock (`wanted`, `locked` in primary-key order, `go`,
`taken`, and the ledger rows); this module adds the order's number, time and total (`head`)
and its other rows and events, as data-modifying WITH queries. Outside a transaction the statement is
its own: one round trip per order instead of four (BEGIN, the take, the INSERTs, COMMIT).
All or nothing within the statement: nothing is updated, numbered or inserted unless every
product is available, and then the rows say which were not; no order number is spent.

What only the database knows (the frozen name, SKU and price, stock after, the number, the
time) are SQL expressions over `taken t` and `head h`; every other column is a parameter,
from the draft. The total and the audit metadata are draft.order_total and
draft.audit_metadata in SQL. Times are the server's clock after the rows are locked, so the
ledger's times follow the order in which stock changed (SQLite's writer takes the web
server's clock after its lock; the two agree on one host, NTP-synced otherwise).
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections

from stockline.accounts.models import Company
from stockline.audit.models import AuditEntry
from stockline.catalog.stock import (
    TakenProduct,
    ledger_sql_postgresql,
    take_parameters_postgresql,
    take_sql_postgresql,
)
from stockline.core.postgresql import insert_parameters, insert_select, json_time_sql, prepared
from stockline.core.rows import row_loaded
from stockline.events.models import Event, EventType
from stockline.orders.models import Order, OrderLine
from stockline.orders.numbers import order_number_next_sql
from stockline.orders.placement.draft import OrderDraft, line_rows
from stockline.orders.placement.result import Placed

_ORDER = {"created_at": "h.at", "updated_at": "h.at", "number": "h.number", "total": "h.total"}
_ENTRY = {
    "created_at": "h.at",
    "metadata": (
        "jsonb_build_object('number', h.number, 'total', h.total::text, 'customer', %(customer)s::text,"
        " 'lines', (SELECT jsonb_agg(jsonb_build_object('product', x.id::text, 'sku', x.sku,"
        " 'quantity', x.quantity) ORDER BY x.id) FROM taken x))"
    ),
}
_LINE = {
    "id": "n.line_id",
    "product_id": "t.id",
    "product_name": "t.name",
    "product_sku": "t.sku",
    "quantity": "t.quantity",
    "unit_price": "t.price",
}

# draft.order_created_row() in SQL: api.serializers.order_json over the order's parameters
# (`o_...`, cast as insert_select casts them), `head h` and the lines in display order
# (OrderLine's Meta.ordering); `number` is Order.display_number.
_ORDER_CREATED = """jsonb_build_object(
    'id', {o[id]}::text,
    'number', '#' || CASE WHEN h.number < 100000 THEN lpad(h.number::text, 5, '0') ELSE h.number::text END,
    'status', {o[status]}, 'channel', {o[channel]}, 'customerId', {o[customer_id]}::text,
    'poNumber', NULLIF({o[po_number]}, ''), 'notes', NULLIF({o[notes]}, ''),
    'total', h.total::float8, 'createdAt', {at}, 'updatedAt', {at},
    'items', (SELECT jsonb_agg(jsonb_build_object('id', n.line_id::text, 'productId', t.id::text,
        'productName', t.name, 'productSku', t.sku, 'quantity', t.quantity, 'unitPrice', t.price::float8)
        ORDER BY t.name, n.line_id) FROM taken t JOIN line_ids n ON n.id = t.id))"""

_STATEMENT = """
WITH {take},
head AS MATERIALIZED (
    SELECT ({number}) AS number, clock_timestamp() AS at,
        (SELECT sum(x.price * x.quantity) FROM taken x) AS total
    FROM go WHERE go.ok
),
line_ids (id, line_id) AS (VALUES {line_ids}),
written_order AS ({order}),
written_entry AS ({entry}),
written_lines AS ({lines}),
written_order_event AS ({order_event}),
{ledger}
SELECT l.id, l.enough, t.stock, t.name, t.sku, t.price, t.low_stock_threshold, t.version,
    h.number, h.at, h.total,
    (SELECT low_stock_threshold FROM {company} WHERE id = %(company)s)
FROM locked l LEFT JOIN taken t ON t.id = l.id LEFT JOIN head h ON true
"""


@functools.cache
def order_sql(products: int, number: str) -> str:
    """The statement for an order of `products` products, numbered by the one-value query
    `number` (orders.numbers)."""
    return prepared(
        _STATEMENT.format(
            take=take_sql_postgresql(products),
            number=number,
            line_ids=", ".join(f"(%(id{i})s::uuid, %(line{i})s::uuid)" for i in range(products)),
            order=insert_select(Order, _ORDER, "o", "head h", connection),
            entry=insert_select(AuditEntry, _ENTRY, "a", "head h", connection),
            lines=insert_select(
                OrderLine, _LINE, "l", "taken t JOIN line_ids n ON n.id = t.id, head h", connection
            ),
            order_event=_order_created_sql(),
            ledger=ledger_sql_postgresql("head"),
            company=connection.ops.quote_name(Company._meta.db_table),
        )
    )


def _order_created_sql() -> str:
    quote = connection.ops.quote_name
    order_param = {
        f.attname: f"%(o_{f.attname})s::{f.db_type(connection)}" for f in Order._meta.concrete_fields
    }
    data = _ORDER_CREATED.format(o=order_param, at=json_time_sql("h.at"))
    return (
        f"INSERT INTO {quote(Event._meta.db_table)} (id, company_id, type, data, created_at) "  # noqa: S608
        f"SELECT %(order_event)s::uuid, %(company)s, '{EventType.ORDER_CREATED.value}', {data}, h.at"
        " FROM head h"
    )


def write(draft: OrderDraft, *, now) -> Placed:
    number_sql, params = order_number_next_sql(draft.company_id)
    params |= take_parameters_postgresql(
        company_id=draft.company_id,
        wanted=draft.wanted,
        movement_ids=draft.movement_ids,
        entry=draft.ledger,
        now=now,
    )
    params |= {f"line{i}": line_id for i, line_id in enumerate(draft.line_ids)}
    params |= {"customer": str(draft.customer_id) if draft.customer_id else None}
    params |= {"order_event": draft.event_id}
    db = connections[DEFAULT_DB_ALIAS]
    params |= insert_parameters(Order, _ORDER, "o", draft.order, db)
    params |= insert_parameters(AuditEntry, _ENTRY, "a", draft.entry, db)
    params |= insert_parameters(OrderLine, _LINE, "l", {"order_id": draft.order["id"]}, db)
    with db.cursor() as cursor:
        cursor.execute(order_sql(len(draft.wanted), number_sql), params)
        rows = cursor.fetchall()
    enough = {row[0] for row in rows if row[1]}
    if len(enough) < len(draft.wanted):  # missing, inactive or short: nothing was written
        return Placed.refused(sorted(draft.wanted.keys() - enough))
    taken = sorted(
        TakenProduct(product_id, stock, name, sku, price, threshold, version)
        for product_id, _, stock, name, sku, price, threshold, version, *_ in rows
    )
    number, at, total, company_threshold = rows[0][8:]
    order_row = {**draft.order, "number": number, "total": total, "created_at": at, "updated_at": at}
    order = row_loaded(Order, order_row)
    lines = [row_loaded(OrderLine, row) for row in line_rows(draft, taken)]
    return Placed(order=order, lines=lines, taken=taken, company_threshold=company_threshold)
